import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readJsonBody } from '../../src/main/http/httpHelpers'
import { createWidgetServer } from '../../src/main/server/createWidgetServer'
import type { Exchange } from '../../src/main/server/exchange'
import type { WidgetDefinition } from '../../src/main/widgets/widgetDefinition'
import { createModernEndpoint, type ModernEndpoint } from '../../src/main/server/modernEndpoint'
import { modernHeaders, modernRequest, postMcp } from '../support/workbenchFixture'

let built = 0
let handlerTimeoutMs = 1000
/** What the next request is allowed to do (the pipeline's decision, carried in by the exchange). */
let authorization: Exchange['authorization'] = { kind: 'not-a-tool-call' }
let modern: ModernEndpoint
let http: Server
let url: string

beforeAll(async () => {
  modern = createModernEndpoint({
    createServer: () => {
      built++
      return createWidgetServer({
        widgets: () => [],
        effectiveAuth: () => ({ mode: 'none', scopes: [], override: null }),
        handlerTimeoutMs: () => handlerTimeoutMs,
      })
    },
  })
  http = createServer((req, res) => {
    const exchange: Exchange = {
      authentication: { kind: 'none' },
      authorization,
      sent: [],
    }
    void readJsonBody(req, { maxBytes: 1 << 20 }).then((body) =>
      modern.handle(req, res, body, exchange),
    )
  })
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`
})
afterAll(async () => {
  await modern.close()
  http.closeAllConnections()
  await new Promise((resolve) => http.close(resolve))
})

describe('the modern leg', () => {
  it('reuses pooled server instances instead of building one per request', async () => {
    for (let i = 0; i < 20; i++) {
      const method = i % 2 ? 'tools/list' : 'server/discover'
      const reply = await postMcp(url, modernRequest(i, method), modernHeaders(method))
      expect(reply.status).toBe(200)
      expect(reply.json).toMatchObject({ id: i, result: expect.any(Object) })
    }
    expect(built).toBe(1)
    await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        postMcp(url, modernRequest(100 + i, 'tools/list'), modernHeaders('tools/list')),
      ),
    )
    expect(built).toBeLessThanOrEqual(4)
  })

  it('answers a missing Mcp-Method header with the spec error and keeps the pool intact', async () => {
    const before = built
    const reply = await postMcp(url, modernRequest(1, 'tools/list'), {
      'mcp-protocol-version': '2026-07-28',
    })
    expect(reply.status).toBe(400)
    expect(reply.json).toMatchObject({ error: { code: -32020 } })
    await postMcp(url, modernRequest(2, 'tools/list'), modernHeaders('tools/list'))
    expect(built).toBe(before)
  })

  it('aborts the widget handler of a client that leaves, and serves the next request', async () => {
    let started!: () => void
    const running = new Promise<void>((resolve) => (started = resolve))
    let aborted!: () => void
    const cancelled = new Promise<void>((resolve) => (aborted = resolve))
    const widget = {
      id: 'slow',
      manifest: { title: 'Slow', inputSchema: { type: 'object' } },
      template: '',
      source: '',
      handler: (_input: unknown, context: { signal: AbortSignal }) =>
        new Promise<never>(() => {
          context.signal.addEventListener('abort', () => aborted(), { once: true })
          started()
        }),
    } as unknown as WidgetDefinition
    authorization = {
      kind: 'widget',
      tool: 'slow',
      widget,
      mode: 'none',
      decision: { run: true, token: null, verdict: 'anonymous', reason: 'public widget' },
    }
    // Far beyond the test's own timeout: only the client leaving can stop this handler.
    handlerTimeoutMs = 600_000
    const client = new AbortController()
    const call = fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        ...modernHeaders('tools/call', 'slow'),
      },
      body: JSON.stringify(modernRequest(7, 'tools/call', { name: 'slow', arguments: {} })),
      signal: client.signal,
    })
    await running
    client.abort()
    await expect(call).rejects.toThrow()
    await cancelled
    authorization = { kind: 'not-a-tool-call' }
    const next = await postMcp(url, modernRequest(8, 'tools/list'), modernHeaders('tools/list'))
    expect(next.json).toMatchObject({ id: 8, result: expect.any(Object) })
  })
})
