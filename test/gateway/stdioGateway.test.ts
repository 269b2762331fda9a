import { spawn } from 'node:child_process'
import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { createLocalJWKSet, jwtVerify } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectClient, rawPost, serveGateway, type GatewayHarness } from './gatewayHarness'
import { eventually, isAlive, makeGateway, WORKBENCH_ISSUER, type TestGateway } from './support'
import { basicServerEntry, RECORDING_SERVER } from './upstreamServers'

const HOLDER = new URL('./fixtures/holdStdioUpstream.ts', import.meta.url).pathname
type Recorded = {
  structuredContent: { headers: unknown; meta: Record<string, string>; pid: number }
}

describe('gateway to a stdio upstream (recording SDK v2 server)', () => {
  let t: TestGateway
  let front: GatewayHarness
  const upstream = { command: process.execPath, args: [RECORDING_SERVER, '--stdio'], env: {} }

  beforeAll(async () => {
    t = await makeGateway(upstream)
    front = await serveGateway(t.gateway)
  })
  afterAll(async () => {
    await front.close()
    await t.gateway.close()
  })

  it('shares one child between sessions and forwards the identity in _meta only', async () => {
    front.caller = { subject: 'dev|bob', scopes: ['user'], clientId: null }
    const a = await connectClient(front.url)
    const b = await connectClient(front.url)
    const ra = (await a.callTool({ name: 'whoami', arguments: {} })) as unknown as Recorded
    front.caller = null
    const rb = (await b.callTool({ name: 'whoami', arguments: {} })) as unknown as Recorded
    expect(ra.structuredContent.pid).toBe(rb.structuredContent.pid)
    expect(ra.structuredContent.headers).toBeNull()
    const { payload } = await jwtVerify(
      ra.structuredContent.meta['workbench/identity'],
      createLocalJWKSet(t.signer.jwks()),
      {
        issuer: WORKBENCH_ISSUER,
        audience: `stdio:${process.execPath} ${RECORDING_SERVER} --stdio`,
      },
    )
    expect(payload).toMatchObject({ sub: 'dev|bob', scope: 'user' })
    expect(payload.client_id).toBeUndefined()
    expect(rb.structuredContent.meta?.['workbench/identity']).toBeUndefined()
    await a.close()
    await b.close()
  })

  it('lists tools with mode-driven securitySchemes and keeps the rest', async () => {
    const { messages } = await rawPost(front.url, { jsonrpc: '2.0', id: 1, method: 'tools/list' })
    const tools = (messages[0].result as { tools: Record<string, unknown>[] }).tools
    const app = tools.find((x) => x.name === 'show-app') as Record<string, unknown> & {
      _meta: Record<string, unknown>
    }
    expect(app['x-custom']).toEqual({ kept: true })
    expect(app._meta.ui).toEqual({
      resourceUri: 'ui://fixture/app.html',
      visibility: ['model', 'app'],
      extra: { nested: [1, 2] },
    })
    expect(tools.find((x) => x.name === 'whoami')?.securitySchemes).toEqual([
      { type: 'oauth2', scopes: ['user'] },
    ])
  })

  it('relays progress and keeps the stderr of the child in the log', async () => {
    const client = await connectClient(front.url)
    const progress: number[] = []
    await client.callTool(
      { name: 'slow', arguments: { ms: 30 } },
      { onprogress: (p) => progress.push(p.progress) },
    )
    expect(progress).toEqual([1, 2, 3])
    expect(t.logs.some((l) => /\[upstream .*\] fixture: stdio server pid \d+/.test(l))).toBe(true)
    expect(t.gateway.status().stderrTail.at(-1)).toMatch(/fixture: stdio server pid/)
    await client.close()
  })

  it('relays sampling requests from the child, prompts and logging notifications', async () => {
    const client = await connectClient(front.url, { sampling: {} })
    client.setRequestHandler('sampling/createMessage', () => ({
      role: 'assistant',
      content: { type: 'text', text: 'pong' },
      model: 'test',
    }))
    const logs: unknown[] = []
    client.setNotificationHandler('notifications/message', (n) => void logs.push(n.params.data))
    const sampled = await client.callTool({ name: 'sample', arguments: {} })
    expect(sampled.content).toEqual([{ type: 'text', text: 'sampled: pong' }])
    expect((await client.listPrompts()).prompts.map((p) => p.name)).toEqual(['greet'])
    await client.callTool({ name: 'log', arguments: {} })
    await eventually(() => logs.length > 0)
    expect(logs[0]).toEqual({ hello: 'world' })
    await client.close()
  })

  it('restarts the child after a crash and the next call works', async () => {
    const client = await connectClient(front.url)
    const before = (
      (await client.callTool({ name: 'whoami', arguments: {} })) as unknown as Recorded
    ).structuredContent.pid
    await client.callTool({ name: 'crash', arguments: {} })
    await eventually(() => !isAlive(before))
    // A call written in the instant between the death and its notice fails naming the exit (next test).
    await eventually(() => t.gateway.status().restarts >= 1)
    const echoed = await client.callTool({ name: 'echo', arguments: { text: 'back' } })
    expect(echoed.content).toEqual([{ type: 'text', text: 'back' }])
    const after = (
      (await client.callTool({ name: 'whoami', arguments: {} })) as unknown as Recorded
    ).structuredContent.pid
    expect(after).not.toBe(before)
    expect(t.gateway.status()).toMatchObject({ state: 'ready', restarts: 1 })
    await client.close()
  })

  it('fails a call in flight when the child dies, naming the upstream and the exit', async () => {
    const { messages } = await rawPost(front.url, {
      jsonrpc: '2.0',
      id: 5,
      method: 'resources/read',
      params: { uri: 'ui://fixture/app.html' },
    })
    expect(messages[0].result).toBeDefined()
    const pid = t.gateway.status().pid!
    const slow = rawPost(front.url, {
      jsonrpc: '2.0',
      id: 6,
      method: 'tools/call',
      params: { name: 'slow', arguments: { ms: 5000 } },
    })
    await eventually(() => t.gateway.status().state === 'ready')
    await new Promise((r) => setTimeout(r, 100))
    process.kill(pid, 'SIGKILL')
    const text = (
      (await slow).messages[0].result as { content: { text: string }[]; isError: boolean }
    ).content[0].text
    expect(text).toContain(`Upstream ${process.execPath}`)
    expect(text).toMatch(/was killed \(SIGKILL\).*while handling tools\/call/)
  })
})

describe('stdio upstream lifecycle', () => {
  it('leaves no process behind when the gateway closes', async () => {
    const t = await makeGateway({
      command: process.execPath,
      args: [RECORDING_SERVER, '--stdio'],
      env: {},
    })
    await t.gateway.refreshTools()
    const pid = t.gateway.status().pid!
    expect(isAlive(pid)).toBe(true)
    await t.gateway.close()
    await eventually(() => !isAlive(pid))
  })

  it('leaves no process behind when the Workbench is killed (SIGKILL), even an upstream that ignores SIGTERM and its children', async () => {
    const pidFile = join(await mkdtemp(join(tmpdir(), 'gateway-orphan-')), 'grandchild.pid')
    const stubborn = [
      `const c = require('node:child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' })`,
      `require('node:fs').writeFileSync(${JSON.stringify(pidFile)}, String(c.pid))`,
      `process.on('SIGTERM', () => {}); process.stdin.resume(); setInterval(() => {}, 1000)`,
    ].join('\n')
    const holder = spawn(
      process.execPath,
      ['--import', 'tsx', HOLDER, process.execPath, '-e', stubborn],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    )
    const pid = await new Promise<number>((resolve) => {
      createInterface({ input: holder.stdout! }).on('line', (line) => {
        const match = /UPSTREAM_PID (\d+)/.exec(line)
        if (match) resolve(Number(match[1]))
      })
    })
    const grandchild = Number(await eventually(() => readFile(pidFile, 'utf8').catch(() => '')))
    expect(isAlive(pid) && isAlive(grandchild)).toBe(true)
    holder.kill('SIGKILL')
    await eventually(() => !isAlive(pid) && !isAlive(grandchild))
  })

  it('names a command that cannot start', async () => {
    const t = await makeGateway(
      { command: 'definitely-not-a-command-xyz', args: [], env: {} },
      {},
      1500,
    )
    await expect(t.gateway.refreshTools()).rejects.toThrow(
      /Upstream definitely-not-a-command-xyz: .*(ENOENT|code 127)/,
    )
    await t.gateway.close()
  })

  it('serves the real vanillajs MCP Apps server over stdio with its template', async () => {
    const t = await makeGateway({
      command: process.execPath,
      args: [basicServerEntry('vanillajs'), '--stdio'],
      env: {},
    })
    const front = await serveGateway(t.gateway)
    const client = await connectClient(front.url)
    const { tools } = await client.listTools()
    expect(tools.map((x) => x.name)).toContain('get-time')
    const res = await client.readResource({ uri: 'ui://get-time/mcp-app.html' })
    expect((res.contents[0] as { text: string }).text).toContain('<html')
    const time = await client.callTool({ name: 'get-time', arguments: {} })
    expect(time.structuredContent).toMatchObject({ time: expect.any(String) })
    await client.close()
    await front.close()
    await t.gateway.close()
  })
})
