import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocket, WebSocketServer } from 'ws'
import { createBridgeClient, type BridgeClient, type BridgeConnectionState } from '../../src/renderer/src/bridgeClient'
import { BRIDGE_PROTOCOL, BRIDGE_SECRET_PROTOCOL_PREFIX } from '../../src/shared/bridgeProtocol'
import type { BridgeClientMessage } from '../../src/shared/contract'

const SECRET = 'test-secret'
const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

async function startServer(onMessage: (ws: WebSocket, m: BridgeClientMessage) => void = () => {}) {
  const wss = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    handleProtocols: (protocols) => (protocols.has(BRIDGE_PROTOCOL) ? BRIDGE_PROTOCOL : false),
    verifyClient: (info: { req: { headers: Record<string, string | string[] | undefined> } }) =>
      String(info.req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim()).includes(`${BRIDGE_SECRET_PROTOCOL_PREFIX}${SECRET}`),
  })
  await once(wss, 'listening')
  const sockets: WebSocket[] = []
  wss.on('connection', (ws) => {
    sockets.push(ws)
    ws.on('message', (data) => onMessage(ws, JSON.parse(String(data)) as BridgeClientMessage))
  })
  cleanups.push(() => new Promise((r) => { for (const s of wss.clients) s.terminate(); wss.close(() => r(null)) }))
  return { wss, sockets, url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}` }
}

function client(url: string, secret = SECRET) {
  const states: BridgeConnectionState[] = []
  const c: BridgeClient = createBridgeClient({
    baseUrl: url, secret, backoffMs: [20],
    WebSocketImpl: WebSocket as never,
    onConnectionChange: (s) => states.push(s),
  })
  cleanups.push(() => c.close())
  return { c, states }
}

const waitFor = async (check: () => boolean): Promise<void> => {
  while (!check()) await new Promise((r) => setTimeout(r, 5))
}

describe('browser-mode bridge client', () => {
  it('sends commands queued before the socket opens and resolves each with its own answer', async () => {
    const server = await startServer((ws, m) => ws.send(JSON.stringify({ type: 'result', id: m.id, response: { ok: true, value: { command: m.command, args: m.args } } })))
    const { c } = client(server.url)
    const [a, b] = await Promise.all([c['token:inspect']('abc'), c['log:clear']()])
    expect(a).toEqual({ ok: true, value: { command: 'token:inspect', args: ['abc'] } })
    expect(b).toEqual({ ok: true, value: { command: 'log:clear', args: [] } })
  })

  it('delivers events to listeners until they unsubscribe', async () => {
    const server = await startServer()
    const { c, states } = client(server.url)
    const seen: unknown[] = []
    const off = c.on('log:cleared', (p) => seen.push(p))
    await waitFor(() => states.includes('open'))
    server.sockets[0].send(JSON.stringify({ type: 'event', event: 'log:cleared', payload: null }))
    await waitFor(() => seen.length === 1)
    off()
    server.sockets[0].send(JSON.stringify({ type: 'event', event: 'log:cleared', payload: null }))
    server.sockets[0].send(JSON.stringify({ type: 'event', event: 'status:changed', payload: {} }))
    await new Promise((r) => setTimeout(r, 30))
    expect(seen).toEqual([null])
  })

  it('answers in-flight commands with ERR_BRIDGE_DISCONNECTED and reconnects after the server drops it', async () => {
    const server = await startServer()
    const { c, states } = client(server.url)
    await waitFor(() => states.includes('open'))
    const pending = c['app:getState']()
    await waitFor(() => server.sockets.length === 1)
    server.sockets[0].terminate()
    const response = await pending
    expect(response.ok).toBe(false)
    expect(!response.ok && response.error.code).toBe('ERR_BRIDGE_DISCONNECTED')
    await waitFor(() => server.sockets.length === 2)
    await waitFor(() => states.filter((s) => s === 'open').length === 2)
    expect(states).toContain('closed')
  })

  it('stays disconnected, retrying, when the secret is wrong', async () => {
    const server = await startServer()
    const { states } = client(server.url, 'wrong')
    await waitFor(() => states.filter((s) => s === 'closed').length >= 2)
    expect(states).not.toContain('open')
    expect(server.sockets).toHaveLength(0)
  })
})
