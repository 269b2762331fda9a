import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { BRIDGE_PROTOCOL, BRIDGE_SECRET_PROTOCOL_PREFIX } from '../../src/shared/bridgeProtocol'
import type { BridgeServerMessage } from '../../src/shared/contract'
import { createUiServer } from '../../src/main/bridge'
import type { CommandHandlers } from '../../src/main/commands/types'
import { INITIALIZE, postMcp } from '../support/workbenchFixture'
import { rawRequest, startBridge, type BridgeFixture } from './bridgeFixture'

let b: BridgeFixture

beforeAll(async () => {
  b = await startBridge()
})
afterAll(async () => {
  await b?.close()
})

const bridgeUrl = (): string => `ws://127.0.0.1:${b.ui.port}/bridge`
const protocolsFor = (secret: string): string[] => [
  BRIDGE_PROTOCOL,
  `${BRIDGE_SECRET_PROTOCOL_PREFIX}${secret}`,
]

/** Resolves with the HTTP status of a refused upgrade, or 101 when the socket opened. */
function upgradeStatus(protocols: string[], headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(bridgeUrl(), protocols, { headers })
    ws.on('open', () => {
      ws.close()
      resolve(101)
    })
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0)
      res.resume()
    })
    ws.on('error', (err) => reject(err))
  })
}

async function openBridge(): Promise<{
  ws: WebSocket
  messages: BridgeServerMessage[]
  next: (match: (m: BridgeServerMessage) => boolean) => Promise<BridgeServerMessage>
}> {
  const ws = new WebSocket(bridgeUrl(), protocolsFor(b.ui.secret), {
    origin: `http://127.0.0.1:${b.ui.port}`,
  })
  const messages: BridgeServerMessage[] = []
  const waiters: {
    match: (m: BridgeServerMessage) => boolean
    resolve: (m: BridgeServerMessage) => void
  }[] = []
  ws.on('message', (data) => {
    const message = JSON.parse(String(data)) as BridgeServerMessage
    messages.push(message)
    for (const w of waiters.splice(0)) {
      if (w.match(message)) w.resolve(message)
      else waiters.push(w)
    }
  })
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  const next = (match: (m: BridgeServerMessage) => boolean) =>
    new Promise<BridgeServerMessage>((resolve) => {
      const seen = messages.find(match)
      if (seen) return resolve(seen)
      waiters.push({ match, resolve })
    })
  return { ws, messages, next }
}

describe('the UI server', () => {
  it('prints a loopback URL carrying a 32-byte secret in the fragment', () => {
    const url = new URL(b.ui.url)
    expect(url.origin).toBe(`http://127.0.0.1:${b.ui.port}`)
    const secret = new URLSearchParams(url.hash.slice(1)).get('secret')
    expect(secret).toBe(b.ui.secret)
    expect(Buffer.from(secret ?? '', 'base64url')).toHaveLength(32)
  })

  it('is a different port from the MCP server', () => {
    expect(b.ui.port).not.toBe(b.fx.workbench.port())
  })

  it('serves the built UI with the strict CSP and hardening headers', async () => {
    const page = await rawRequest(b.ui.port, '/', { headers: { host: `127.0.0.1:${b.ui.port}` } })
    expect(page.status).toBe(200)
    expect(page.body).toContain('<title>Workbench</title>')
    const csp = String(page.headers['content-security-policy'])
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain("object-src 'none'")
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).not.toContain('unsafe-eval')
    expect(page.headers['x-content-type-options']).toBe('nosniff')
    const script = await rawRequest(b.ui.port, '/app.js', {
      headers: { host: `localhost:${b.ui.port}` },
    })
    expect(script.status).toBe(200)
    expect(script.headers['content-type']).toMatch(/^text\/javascript/)
  })

  it('serves the widget preview frame in an opaque-origin sandbox that only the app may frame', async () => {
    const frame = await rawRequest(b.ui.port, '/widget-frame.html', {
      headers: { host: `127.0.0.1:${b.ui.port}` },
    })
    expect(frame.status).toBe(200)
    const csp = String(frame.headers['content-security-policy'])
    expect(csp).toMatch(/^sandbox allow-scripts allow-forms;/)
    expect(csp).toContain("frame-ancestors 'self'")
    expect(csp).toContain("object-src 'none'")
    expect(frame.headers['x-frame-options']).toBe('SAMEORIGIN')
  })

  it('does not serve files outside the built UI', async () => {
    for (const path of [
      '/../package.json',
      '/%2e%2e/package.json',
      '/..%2fpackage.json',
      '/.env',
    ]) {
      const response = await rawRequest(b.ui.port, path, {
        headers: { host: `127.0.0.1:${b.ui.port}` },
      })
      expect(response.status, path).toBe(404)
    }
  })

  it('refuses a Host that is not loopback with 403 (DNS rebinding)', async () => {
    for (const host of [
      'evil.example',
      `evil.example:${b.ui.port}`,
      '127.0.0.1.evil.example',
      `127.0.0.1:${b.ui.port + 1}`,
    ]) {
      expect((await rawRequest(b.ui.port, '/', { headers: { host } })).status, host).toBe(403)
      const api = await rawRequest(b.ui.port, '/api/invoke/widget:list', {
        method: 'POST',
        headers: {
          host,
          authorization: `Bearer ${b.ui.secret}`,
          'content-type': 'application/json',
        },
        body: '[]',
      })
      expect(api.status, host).toBe(403)
    }
  })

  it('says to run the build when the renderer is not built', async () => {
    const unbuilt = await startBridge({ built: false })
    try {
      const page = await rawRequest(unbuilt.ui.port, '/', {
        headers: { host: `127.0.0.1:${unbuilt.ui.port}` },
      })
      expect(page.status).toBe(503)
      expect(page.body).toContain('npm run build')
    } finally {
      await unbuilt.close()
    }
  })

  it('refuses to bind anything but loopback', async () => {
    await expect(
      createUiServer({
        handlers: {} as CommandHandlers,
        events: () => () => {},
        staticDir: b.staticDir,
        host: '0.0.0.0',
      }),
    ).rejects.toThrow(TypeError)
  })
})

describe('the WebSocket bridge', () => {
  it('refuses a connection without the secret', async () => {
    expect(await upgradeStatus([BRIDGE_PROTOCOL])).toBe(401)
    expect(await upgradeStatus([])).toBe(401)
  })

  it('refuses a connection with a wrong secret', async () => {
    expect(await upgradeStatus(protocolsFor(b.ui.secret.slice(0, -1)))).toBe(401)
    expect(await upgradeStatus(protocolsFor(`${b.ui.secret}x`))).toBe(401)
  })

  it('refuses an upgrade from a foreign Origin even with the secret', async () => {
    expect(await upgradeStatus(protocolsFor(b.ui.secret), { origin: 'https://evil.example' })).toBe(
      403,
    )
    expect(
      await upgradeStatus(protocolsFor(b.ui.secret), {
        origin: `http://127.0.0.1:${b.ui.port + 1}`,
      }),
    ).toBe(403)
  })

  it('refuses an upgrade with a non-loopback Host even with the secret', async () => {
    expect(await upgradeStatus(protocolsFor(b.ui.secret), { host: 'evil.example' })).toBe(403)
  })

  it('accepts the secret from its own origin', async () => {
    expect(
      await upgradeStatus(protocolsFor(b.ui.secret), { origin: `http://localhost:${b.ui.port}` }),
    ).toBe(101)
  })

  it('round-trips a command', async () => {
    const { ws, next } = await openBridge()
    ws.send(JSON.stringify({ type: 'invoke', id: 7, command: 'widget:list', args: [] }))
    const reply = await next((m) => m.type === 'result' && m.id === 7)
    expect(reply).toMatchObject({ type: 'result', id: 7, response: { ok: true } })
    const ids = (
      reply as { response: { value: { widgets: { id: string }[] } } }
    ).response.value.widgets.map((w) => w.id)
    expect(ids).toContain('protected-widget')
    ws.close()
  })

  it('returns invalid arguments as data with ERR_IPC_INVALID, without running the handler', async () => {
    const { ws, next } = await openBridge()
    ws.send(
      JSON.stringify({
        type: 'invoke',
        id: 1,
        command: 'widget:setAuth',
        args: ['public-widget', { auth: 'sometimes' }],
      }),
    )
    ws.send(JSON.stringify({ type: 'invoke', id: 2, command: 'widget:list', args: ['extra'] }))
    ws.send(JSON.stringify({ type: 'invoke', id: 3, command: 'system:exec', args: [] }))
    ws.send(JSON.stringify({ type: 'invoke', id: 4, command: '__proto__', args: [] }))
    for (const id of [1, 2, 3, 4]) {
      const reply = await next((m) => m.type === 'result' && m.id === id)
      expect(reply, `id ${id}`).toMatchObject({
        response: { ok: false, error: { code: 'ERR_IPC_INVALID' } },
      })
    }
    ws.close()
  })

  it('returns a handler failure as data with its WorkbenchError code', async () => {
    const { ws, next } = await openBridge()
    ws.send(
      JSON.stringify({
        type: 'invoke',
        id: 9,
        command: 'widget:getTemplate',
        args: ['no-such-widget'],
      }),
    )
    expect(await next((m) => m.type === 'result' && m.id === 9)).toMatchObject({
      response: { ok: false, error: { code: 'ERR_WIDGET_NOT_FOUND' } },
    })
    ws.close()
  })

  it('closes the socket on a message that is not an invoke', async () => {
    const { ws } = await openBridge()
    const code = new Promise<number>((resolve) => ws.on('close', (c) => resolve(c)))
    ws.send('not json')
    expect(await code).toBe(1008)
  })

  it('delivers events to connected clients', async () => {
    const { ws, next } = await openBridge()
    await fetch(`${b.fx.workbench.baseUrl()}/.well-known/oauth-protected-resource`)
    const event = await next((m) => m.type === 'event' && m.event === 'log:appended')
    expect(event).toMatchObject({
      type: 'event',
      event: 'log:appended',
      payload: [{ path: '/.well-known/oauth-protected-resource' }],
    })
    ws.close()
  })

  it('tells connected clients when an MCP session opens (the Overview count follows)', async () => {
    const { ws, next } = await openBridge()
    const before = b.fx.workbench.status().sessions
    const init = await postMcp(b.fx.workbench.mcpUrl(), INITIALIZE)
    expect(init.headers.get('mcp-session-id')).toBeTruthy()
    const event = await next((m) => m.type === 'event' && m.event === 'status:changed')
    expect(event).toMatchObject({ payload: { sessions: before + 1 } })
    ws.close()
  })
})

describe('the scripting endpoints', () => {
  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    rawRequest(b.ui.port, path, {
      method: 'POST',
      body,
      headers: {
        host: `127.0.0.1:${b.ui.port}`,
        'content-type': 'application/json',
        authorization: `Bearer ${b.ui.secret}`,
        ...headers,
      },
    })

  it('requires the bearer secret', async () => {
    expect((await post('/api/invoke/widget:list', '[]', { authorization: '' })).status).toBe(401)
    expect(
      (await post('/api/invoke/widget:list', '[]', { authorization: 'Bearer wrong' })).status,
    ).toBe(401)
    expect(
      (await post('/api/forge', '{}', { authorization: `Bearer ${b.ui.secret}x` })).status,
    ).toBe(401)
  })

  it('requires a JSON body, so a browser cannot post it cross-origin without a preflight', async () => {
    expect(
      (await post('/api/invoke/widget:list', '[]', { 'content-type': 'text/plain' })).status,
    ).toBe(415)
  })

  it('invokes a command and returns the contract response', async () => {
    const response = await post('/api/invoke/widget:list', '[]')
    expect(response.status).toBe(200)
    expect(JSON.parse(response.body)).toMatchObject({
      ok: true,
      value: { widgets: expect.any(Array) },
    })
  })

  it('answers invalid arguments and unknown commands with 400 ERR_IPC_INVALID', async () => {
    for (const [path, body] of [
      ['/api/invoke/widget:list', '["x"]'],
      ['/api/invoke/nope', '[]'],
      ['/api/forge', '{"variant":"bogus"}'],
      ['/api/invoke/widget:list', '{not json'],
    ]) {
      const response = await post(path, body)
      expect(response.status, path).toBe(400)
      expect(JSON.parse(response.body), path).toMatchObject({
        ok: false,
        error: { code: 'ERR_IPC_INVALID' },
      })
    }
  })

  it('refuses a foreign Origin even with the secret', async () => {
    expect(
      (await post('/api/invoke/widget:list', '[]', { origin: 'https://evil.example' })).status,
    ).toBe(403)
    expect(
      (await post('/api/invoke/widget:list', '[]', { origin: `http://127.0.0.1:${b.ui.port}` }))
        .status,
    ).toBe(200)
  })

  it('accepts only POST', async () => {
    const response = await rawRequest(b.ui.port, '/api/forge', {
      headers: { host: `127.0.0.1:${b.ui.port}`, authorization: `Bearer ${b.ui.secret}` },
    })
    expect(response.status).toBe(405)
  })
})
