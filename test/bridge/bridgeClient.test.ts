import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import {
  createBridgeClient,
  type BridgeClient,
  type BridgeClientOptions,
  type BridgeConnectionState,
} from '../../src/renderer/src/bridgeClient'
import type { RequestEvent } from '../../src/shared/events'
import { startBridge, type BridgeFixture } from './bridgeFixture'

// The renderer's bridge client (src/renderer/src/bridgeClient.ts) against the real UI server: the two ends of the
// browser-mode transport together.

let b: BridgeFixture
const clients: BridgeClient[] = []

beforeAll(async () => {
  b = await startBridge()
})
afterAll(async () => {
  for (const c of clients) c.close()
  await b?.close()
})

function client(secret: string, onState?: (state: BridgeConnectionState) => void): BridgeClient {
  const c = createBridgeClient({
    baseUrl: `ws://127.0.0.1:${b.ui.port}`,
    secret,
    WebSocketImpl: WebSocket as unknown as NonNullable<BridgeClientOptions['WebSocketImpl']>,
    onConnectionChange: onState,
    backoffMs: [60_000],
  })
  clients.push(c)
  return c
}

describe('the browser bridge client against the UI server', () => {
  it('gets the result of a call made while connecting', async () => {
    const response = await client(b.ui.secret)['widget:list']()
    expect(response.ok).toBe(true)
  })

  it('gets validation errors as data', async () => {
    const bad = client(b.ui.secret)['log:replay'] as unknown as (
      ...a: unknown[]
    ) => Promise<unknown>
    expect(await bad(-1, { kind: 'nobody' })).toMatchObject({
      ok: false,
      error: { code: 'ERR_IPC_INVALID' },
    })
  })

  it('passes events to listeners', async () => {
    let open!: () => void
    const opened = new Promise<void>((resolve) => (open = resolve))
    const c = client(b.ui.secret, (state) => state === 'open' && open())
    await opened
    const batch = new Promise<RequestEvent[]>((resolve) => {
      const off = c.on('log:appended', (events) => {
        off()
        resolve(events)
      })
    })
    await fetch(`${b.fx.workbench.baseUrl()}/.well-known/oauth-protected-resource`)
    expect((await batch)[0].path).toBe('/.well-known/oauth-protected-resource')
  })

  it('is refused with a wrong secret: the call is answered as disconnected', async () => {
    const states: BridgeConnectionState[] = []
    const response = await client('wrong-secret', (s) => states.push(s))['widget:list']()
    expect(states).toContain('closed')
    expect(states).not.toContain('open')
    expect(response).toMatchObject({ ok: false, error: { code: 'ERR_BRIDGE_DISCONNECTED' } })
  })
})
