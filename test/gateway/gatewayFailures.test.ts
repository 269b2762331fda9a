import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { describeUpstream } from '../../src/main/gateway/upstreamFlags'
import { CLIENT_WENT_AWAY } from '../../src/main/gateway/upstreamRelay'
import type { Upstream } from '../../src/shared/config'
import { startWorkbench } from '../support/workbenchFixture'
import { connectClient, serveGateway } from './gatewayHarness'
import { eventually, makeGateway } from './support'

const MISBEHAVING = join(
  dirname(fileURLToPath(import.meta.url)),
  'fixtures',
  'misbehavingStdio.mjs',
)
const TIMEOUT_MS = 1500

type ToolResult = {
  isError?: boolean
  content: { text: string }[]
  _meta?: Record<string, unknown>
}

/** A Workbench (development issuer) in front of `upstream`, an anonymous client of it, and what Overview shows. */
async function gatewayFront(upstream: NonNullable<Upstream>) {
  const fx = await startWorkbench({ upstream, server: { handlerTimeoutMs: TIMEOUT_MS } })
  await eventually(() => fx.workbench.status().gateway?.state === 'ready')
  await eventually(() => fx.workbench.status().gateway!.toolCount > 0)
  const client = await connectClient(fx.workbench.mcpUrl())
  const call = async (name: string) =>
    (await client.callTool({ name, arguments: {} })) as unknown as ToolResult
  const overview = () => fx.workbench.status().gateway!
  return {
    workbench: fx.workbench,
    call,
    overview,
    /** The next call works and Overview is ready again. */
    async expectRecovery() {
      expect(await call('ok')).toMatchObject({ content: [{ text: 'ok answered' }] })
      expect(overview()).toMatchObject({ state: 'ready', error: null })
    },
    async close() {
      await client.close()
      await fx.close()
    },
  }
}
type GatewayFront = Awaited<ReturnType<typeof gatewayFront>>

describe('a stdio upstream that misbehaves: a clear error naming it and the cause, on the call and on Overview, and the next call works (issue 12 item 5)', () => {
  const upstream = { command: process.execPath, args: [MISBEHAVING], env: {} }
  const label = describeUpstream(upstream)
  let front: GatewayFront

  beforeAll(async () => {
    front = await gatewayFront(upstream)
  })
  afterAll(async () => {
    await front?.close()
  })

  it('an answer that is not JSON-RPC fails that call at once, naming the upstream and what it sent', async () => {
    const result = await front.call('bad-answer')
    expect(result.isError).toBe(true)
    expect(result.content[0].text).toMatch(
      new RegExp(
        `^Upstream ${escape(label)}: answered tools/call with a message that is not JSON-RPC`,
      ),
    )
    expect(result.content[0].text).toContain('"outcome":"fine"')
    expect(front.overview()).toMatchObject({
      state: 'failed',
      error: expect.stringContaining('not JSON-RPC'),
    })
    await front.expectRecovery()
  })

  it('a line on stdout that is not JSON-RPC is named in the timeout it causes', async () => {
    const result = await front.call('garbage')
    expect(result.isError).toBe(true)
    expect(result.content[0].text).toMatch(
      new RegExp(`^Upstream ${escape(label)}: no answer to tools/call within ${TIMEOUT_MS} ms`),
    )
    expect(result.content[0].text).toContain('Server log: handled garbage')
    expect(front.overview().error).toContain('Server log: handled garbage')
    await front.expectRecovery()
  })

  it('silence becomes a timeout naming the upstream, shown on Overview', async () => {
    const result = await front.call('hang')
    expect(result.content[0].text).toBe(
      `Upstream ${label}: no answer to tools/call within ${TIMEOUT_MS} ms`,
    )
    expect(front.overview()).toMatchObject({
      state: 'failed',
      error: `no answer to tools/call within ${TIMEOUT_MS} ms`,
    })
    const event = front.workbench.log.snapshot().findLast((e) => e.tool === 'hang')
    expect(event?.upstream?.error).toBe(`no answer to tools/call within ${TIMEOUT_MS} ms`)
    await front.expectRecovery()
  })

  it('a tool list that changes mid-call is applied before the next call: a tool made Required is never let through on the old list', async () => {
    expect(await front.call('open')).toMatchObject({ content: [{ text: 'open answered' }] })
    expect(await front.call('tighten')).toMatchObject({ content: [{ text: 'tightened' }] })
    const next = await front.call('open')
    expect(next.isError).toBe(true)
    expect((next._meta?.['mcp/www_authenticate'] as string[])[0]).toMatch(/scope="user"/)
    expect(front.workbench.widgetSummaries().find((w) => w.id === 'open')).toMatchObject({
      declaredMode: 'required',
      effectiveMode: 'required',
    })
  })
})

describe('an HTTP upstream that misbehaves, then recovers (issue 12 item 5)', () => {
  let bad: Server
  let url: string
  let mode: 'ok' | 'status503' | 'badEvent' | 'hang' | 'slowEvent' = 'ok'
  let openDeclared: unknown[] = [{ type: 'noauth' }]
  let listSlowly = false
  const toolList = () => ({
    tools: ['ok', 'open', 'tighten'].map((name) => ({
      name,
      inputSchema: { type: 'object' },
      securitySchemes: name === 'open' ? openDeclared : [{ type: 'noauth' }],
    })),
  })
  let front: GatewayFront

  beforeAll(async () => {
    bad = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        if (req.method !== 'POST') return void res.writeHead(405).end()
        const message = JSON.parse(Buffer.concat(chunks).toString()) as {
          id?: number
          method: string
          params?: { protocolVersion?: string; name?: string }
        }
        if (message.id === undefined) return void res.writeHead(202).end()
        const reply = (result: unknown) => {
          res.writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': 'up-1' })
          res.end(JSON.stringify({ jsonrpc: '2.0', id: message.id, result }))
        }
        if (message.method === 'initialize')
          return reply({
            protocolVersion: message.params?.protocolVersion,
            capabilities: { tools: {} },
            serverInfo: { name: 'flaky', version: '1' },
          })
        if (message.method === 'tools/list' && listSlowly) {
          // The new list is slow to come: a call decided meanwhile on the old list would get through.
          listSlowly = false
          return void setTimeout(() => reply(toolList()), 300)
        }
        if (message.method === 'tools/list') return reply(toolList())
        const name = message.params?.name
        if (name === 'tighten') {
          // Mid-call, on the call's own stream: `open` now needs sign-in; then the answer.
          openDeclared = [{ type: 'oauth2', scopes: ['user'] }]
          listSlowly = true
          const changed = { jsonrpc: '2.0', method: 'notifications/tools/list_changed' }
          const answer = { jsonrpc: '2.0', id: message.id, result: { content: [] } }
          res.writeHead(200, { 'content-type': 'text/event-stream', 'mcp-session-id': 'up-1' })
          return void res.end(
            `event: message\ndata: ${JSON.stringify(changed)}\n\nevent: message\ndata: ${JSON.stringify(answer)}\n\n`,
          )
        }
        if (mode === 'status503') return void res.writeHead(503).end('maintenance window')
        if (mode === 'hang') return
        if (mode === 'slowEvent') {
          res.writeHead(200, { 'content-type': 'text/event-stream', 'mcp-session-id': 'up-1' })
          const progress = { method: 'notifications/message', params: { level: 'info', data: 1 } }
          return void res.write(
            `event: message\ndata: ${JSON.stringify({ jsonrpc: '2.0', ...progress })}\n\n`,
          )
        }
        if (mode === 'badEvent') {
          res.writeHead(200, { 'content-type': 'text/event-stream' })
          return void res.end('event: message\ndata: {"jsonrpc":"2.0","id":\n\n')
        }
        reply({ content: [{ type: 'text', text: 'ok answered' }] })
      })
    })
    await new Promise<void>((r) => bad.listen(0, '127.0.0.1', r))
    url = `http://127.0.0.1:${(bad.address() as AddressInfo).port}/mcp`
    front = await gatewayFront({ url })
  })
  afterAll(async () => {
    await front?.close()
    bad?.closeAllConnections()
    bad?.close()
  })

  it.each([
    ['status503', /answered HTTP 503: maintenance window/],
    ['badEvent', /not JSON|not a JSON-RPC/],
    ['hang', new RegExp(`no answer to tools/call within ${TIMEOUT_MS} ms`)],
  ] as const)(
    '%s: a tool error naming the upstream and the cause, on Overview too; the next call works',
    async (m, cause) => {
      mode = m
      const result = await front.call('ok')
      expect(result.isError).toBe(true)
      expect(result.content[0].text).toContain(`Upstream ${url}: `)
      expect(result.content[0].text).toMatch(cause)
      expect(front.overview()).toMatchObject({
        state: 'failed',
        error: expect.stringMatching(cause),
      })
      mode = 'ok'
      await front.expectRecovery()
    },
  )

  it("a tool list that changes mid-call (announced on the call's stream) decides the next call", async () => {
    expect((await front.call('open')).isError).toBeFalsy()
    expect((await front.call('tighten')).isError).toBeFalsy()
    const next = await front.call('open')
    expect(next.isError).toBe(true)
    expect((next._meta?.['mcp/www_authenticate'] as string[])[0]).toMatch(/scope="user"/)
  })

  it('a client that leaves before a streamed answer is no failure of the upstream', async () => {
    mode = 'slowEvent'
    const t = await makeGateway({ url })
    const front = await serveGateway(t.gateway)
    const abort = new AbortController()
    const response = await fetch(front.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 77,
        method: 'tools/call',
        params: { name: 'ok', arguments: {} },
      }),
      signal: abort.signal,
    })
    await response.body!.getReader().read()
    abort.abort()
    await eventually(() => front.legs.some((l) => l.error === CLIENT_WENT_AWAY))
    expect(t.gateway.status()).toMatchObject({ state: 'ready', error: null })
    await front.close()
    await t.gateway.close()
    mode = 'ok'
  })
})

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
