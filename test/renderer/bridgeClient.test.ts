import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import {
  createBridgeClient,
  type BridgeClient,
  type BridgeClientOptions,
  type BridgeConnectionState,
} from '../../src/renderer/src/bridgeClient'
import type { RequestEvent } from '../../src/shared/events'
import { startBridge, type BridgeFixture } from '../bridge/bridgeFixture'

// The renderer's bridge client against the real bridge (createUiServer over a real workbench):
// queueing, events, a dropped connection and a wrong secret as the browser meets them.

let b: BridgeFixture
const clients: BridgeClient[] = []

beforeAll(async () => {
  b = await startBridge()
})
afterEach(() => {
  for (const c of clients.splice(0)) c.close()
})
afterAll(() => b?.close())

function client(secret = b.ui.secret) {
  const states: BridgeConnectionState[] = []
  const c = createBridgeClient({
    baseUrl: `ws://127.0.0.1:${b.ui.port}`,
    secret,
    backoffMs: [20],
    WebSocketImpl: WebSocket as unknown as NonNullable<BridgeClientOptions['WebSocketImpl']>,
    onConnectionChange: (s) => states.push(s),
  })
  clients.push(c)
  return { c, states }
}

const opens = (states: BridgeConnectionState[]) => states.filter((s) => s === 'open').length

describe('the browser-mode bridge client against the real bridge', () => {
  it('sends commands queued before the socket opens and resolves each with its own answer', async () => {
    const { c, states } = client()
    const [inspected, cleared, widgets] = await Promise.all([
      c['token:inspect']('opaque-token-text'),
      c['log:clear'](),
      c['widget:list'](),
    ])
    expect(states[0]).toBe('connecting')
    expect(inspected).toMatchObject({ ok: true, value: { problem: { kind: 'opaque' } } })
    expect(cleared).toEqual({ ok: true, value: null })
    expect(widgets.ok && widgets.value.widgets.map((w) => w.id)).toContain('protected-widget')
  })

  it('gets validation errors as data', async () => {
    const bad = client().c['log:replay'] as unknown as (...a: unknown[]) => Promise<unknown>
    expect(await bad(-1, { kind: 'nobody' })).toMatchObject({
      ok: false,
      error: { code: 'ERR_IPC_INVALID' },
    })
  })

  it('delivers events to listeners until they unsubscribe', async () => {
    const { c, states } = client()
    await expect.poll(() => opens(states)).toBe(1)
    const once: RequestEvent[][] = []
    const always: RequestEvent[][] = []
    const off = c.on('log:appended', (events) => once.push(events))
    c.on('log:appended', (events) => always.push(events))
    await fetch(`${b.fx.workbench.baseUrl()}/.well-known/oauth-protected-resource`)
    await expect.poll(() => always.length).toBe(1)
    off()
    await fetch(`${b.fx.workbench.baseUrl()}/.well-known/oauth-authorization-server`)
    await expect.poll(() => always.length).toBe(2)
    expect(once).toHaveLength(1)
    expect(once[0][0].path).toBe('/.well-known/oauth-protected-resource')
  })

  it('answers a command in flight with ERR_BRIDGE_DISCONNECTED when the bridge drops it, then reconnects', async () => {
    const { c, states } = client()
    await expect.poll(() => opens(states)).toBe(1)
    // Over the bridge's 1 MiB message limit: the server closes the socket (1009) instead of
    // answering.
    const dropped = await c['token:inspect']('x'.repeat(1024 * 1024 + 1))
    expect(dropped).toMatchObject({ ok: false, error: { code: 'ERR_BRIDGE_DISCONNECTED' } })
    await expect.poll(() => opens(states)).toBe(2)
    expect(states).toContain('closed')
    expect(await c['log:clear']()).toEqual({ ok: true, value: null })
  })

  it('stays disconnected, retrying, when the secret is wrong', async () => {
    const { c, states } = client('wrong-secret')
    await expect.poll(() => states.filter((s) => s === 'closed').length).toBeGreaterThanOrEqual(2)
    expect(states).not.toContain('open')
    expect(await c['log:clear']()).toMatchObject({
      ok: false,
      error: { code: 'ERR_BRIDGE_DISCONNECTED' },
    })
  })
})

describe('events every window follows', () => {
  it('tells every connected window that the log was cleared, not only the one that cleared it', async () => {
    const watcher = client()
    const clearer = client()
    await expect.poll(() => opens(watcher.states) + opens(clearer.states)).toBe(2)
    const cleared: unknown[] = []
    watcher.c.on('log:cleared', (payload) => cleared.push(payload))
    expect(await clearer.c['log:clear']()).toEqual({ ok: true, value: null })
    await expect.poll(() => cleared).toEqual([null])
    expect(await watcher.c['log:snapshot']()).toEqual({ ok: true, value: [] })
  })
})
