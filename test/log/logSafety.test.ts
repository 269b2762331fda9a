import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { BRIDGE_PROTOCOL, BRIDGE_SECRET_PROTOCOL_PREFIX } from '../../src/shared/bridgeProtocol'
import type { RequestEvent } from '../../src/shared/events'
import { INITIALIZE, postMcp } from '../support/workbenchFixture'
import { startBridge, type BridgeFixture } from '../bridge/bridgeFixture'

let b: BridgeFixture
let ws: WebSocket
const bridged: RequestEvent[] = []

beforeAll(async () => {
  b = await startBridge()
  ws = new WebSocket(
    `ws://127.0.0.1:${b.ui.port}/bridge`,
    [BRIDGE_PROTOCOL, `${BRIDGE_SECRET_PROTOCOL_PREFIX}${b.ui.secret}`],
    { origin: `http://127.0.0.1:${b.ui.port}` },
  )
  ws.on('message', (data) => {
    const message = JSON.parse(String(data)) as { type: string; event?: string; payload?: unknown }
    if (message.event === 'log:appended') bridged.push(...(message.payload as RequestEvent[]))
  })
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
})
afterAll(async () => {
  ws?.close()
  await b?.close()
})

const invoke = async (
  command: string,
): Promise<{ status: number; body: { ok: boolean; value?: unknown } }> => {
  const response = await fetch(`http://127.0.0.1:${b.ui.port}/api/invoke/${command}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${b.ui.secret}`, 'content-type': 'application/json' },
    body: '[]',
  })
  return {
    status: response.status,
    body: (await response.json()) as { ok: boolean; value?: unknown },
  }
}

const until = async (check: () => boolean, what: string): Promise<void> => {
  for (let i = 0; i < 400; i++) {
    if (check()) return
    await new Promise((r) => setTimeout(r, 25))
  }
  throw new Error(`timed out waiting for ${what}`)
}

const nested = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`

async function session(): Promise<Record<string, string>> {
  const init = await postMcp(b.fx.workbench.mcpUrl(), INITIALIZE)
  const id = init.headers.get('mcp-session-id')
  const headers: Record<string, string> = { 'mcp-protocol-version': '2025-06-18' }
  if (id) headers['mcp-session-id'] = id
  await postMcp(
    b.fx.workbench.mcpUrl(),
    { jsonrpc: '2.0', method: 'notifications/initialized' },
    headers,
  )
  return headers
}

describe('log data is safe to serialize, whatever a caller sends', () => {
  it('logs a 10,000-level nested tools/call truncated with a note; the bridge, snapshot and export survive', async () => {
    const headers = await session()
    const body = `{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"public-widget","arguments":{"deep":${nested(10_000)}}}}`
    const reply = await postMcp(b.fx.workbench.mcpUrl(), body, headers)
    expect(reply.status).toBeLessThan(500)
    await until(() => bridged.some((e) => e.rpcId === 7), 'the nested request on the bridge')
    const event = bridged.find((e) => e.rpcId === 7) as RequestEvent
    expect(event.notes?.join(' ')).toMatch(/request body truncated: nested deeper than \d+ levels/)
    expect(JSON.stringify(event.requestBody)).toContain('[truncated: nested deeper than')

    const snapshot = await invoke('log:snapshot')
    expect(snapshot).toMatchObject({ status: 200, body: { ok: true } })
    const exported = await invoke('log:export')
    expect(exported).toMatchObject({ status: 200, body: { ok: true } })
    expect((exported.body.value as { json: string }).json).toContain('nested deeper than')
    // Still serving, and the bridge is still open.
    expect(
      (await postMcp(b.fx.workbench.mcpUrl(), { jsonrpc: '2.0', id: 8, method: 'ping' }, headers))
        .status,
    ).toBe(200)
    await until(() => bridged.some((e) => e.rpcId === 8), 'the next request on the bridge')
    expect(ws.readyState).toBe(WebSocket.OPEN)
  })

  it('keeps at most the per-event body limit of 1 MiB requests, noting the full size', async () => {
    const headers = await session()
    const pad = 'x'.repeat(1024 * 1024 - 200)
    for (let i = 0; i < 20; i++) {
      const reply = await postMcp(
        b.fx.workbench.mcpUrl(),
        { jsonrpc: '2.0', id: 1000 + i, method: 'ping', params: { pad } },
        headers,
      )
      expect(reply.status).toBe(200)
    }
    const events = b.fx.workbench.log
      .snapshot()
      .filter((e) => typeof e.rpcId === 'number' && e.rpcId >= 1000)
    expect(events).toHaveLength(20)
    for (const e of events) {
      expect(JSON.stringify(e).length).toBeLessThan(70 * 1024)
      expect(e.notes?.join(' ')).toMatch(
        /request body truncated: about 1\.0 MiB in full, 64\.0 KiB kept/,
      )
      expect(e.rpcMethod).toBe('ping')
    }
  })

  it('drops the oldest events past log.maxBytes', async () => {
    await b.fx.workbench.config.update((raw) => ({ ...raw, log: { maxBytes: 1024 * 1024 } }))
    const headers = await session()
    const pad = 'y'.repeat(200 * 1024)
    for (let i = 0; i < 40; i++)
      await postMcp(
        b.fx.workbench.mcpUrl(),
        { jsonrpc: '2.0', id: 2000 + i, method: 'ping', params: { pad } },
        headers,
      )
    expect(b.fx.workbench.log.bytes()).toBeLessThanOrEqual(1024 * 1024)
    const kept = b.fx.workbench.log.snapshot()
    expect(kept.length).toBeLessThan(40)
    expect(kept.at(-1)?.rpcId).toBe(2039)
  })
})
