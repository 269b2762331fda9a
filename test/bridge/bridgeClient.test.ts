import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { createBridgeClient, type BridgeClient, type BridgeConnectionState } from '../../src/preload/createBridgeClient'
import type { RequestEvent } from '../../src/shared/events'
import { startBridge, type BridgeFixture } from './bridgeFixture'

let b: BridgeFixture
const clients: BridgeClient[] = []

beforeAll(async () => {
  b = await startBridge()
})
afterAll(async () => {
  for (const c of clients) c.close()
  await b?.close()
})

function client(secret: string): BridgeClient {
  const c = createBridgeClient({
    origin: `http://127.0.0.1:${b.ui.port}`,
    secret,
    WebSocketImpl: WebSocket as unknown as typeof globalThis.WebSocket,
    reconnectDelayMs: 0,
  })
  clients.push(c)
  return c
}

const reach = (c: BridgeClient, state: BridgeConnectionState): Promise<void> =>
  new Promise((resolve) => {
    if (c.connectionState() === state) return resolve()
    const off = c.onConnectionChange((s) => s === state && (off(), resolve()))
  })

describe('the browser bridge client', () => {
  it('implements the contract: a call queued while connecting gets its result', async () => {
    const c = client(b.ui.secret)
    const response = await c['widget:list']()
    expect(response.ok).toBe(true)
    expect(c.connectionState()).toBe('open')
  })

  it('returns validation errors as data', async () => {
    const c = client(b.ui.secret)
    const bad = c['log:replay'] as unknown as (...a: unknown[]) => ReturnType<BridgeClient['log:replay']>
    expect(await bad(-1, { kind: 'nobody' })).toMatchObject({ ok: false, error: { code: 'ERR_IPC_INVALID' } })
  })

  it('passes events to listeners and stops after unsubscribe', async () => {
    const c = client(b.ui.secret)
    await reach(c, 'open')
    const got: RequestEvent[][] = []
    const first = new Promise<void>((resolve) => {
      const off = c.on('log:appended', (batch) => {
        got.push(batch)
        off()
        resolve()
      })
    })
    await fetch(`${b.fx.workbench.baseUrl()}/.well-known/oauth-protected-resource`)
    await first
    expect(got[0][0].path).toBe('/.well-known/oauth-protected-resource')
  })

  it('with a wrong secret ends closed, and calls resolve with ERR_IPC_DISCONNECTED', async () => {
    const c = client('wrong-secret')
    const response = await c['widget:list']()
    expect(response).toMatchObject({ ok: false, error: { code: 'ERR_IPC_DISCONNECTED' } })
    expect(c.connectionState()).toBe('closed')
  })
})
