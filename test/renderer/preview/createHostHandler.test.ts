import { describe, expect, it } from 'vitest'
import type { WidgetCallResult } from '../../../src/shared/contract'
import { createHostHandler, toolResultForWidget } from '../../../src/renderer/src/preview/createHostHandler'
import type { OpenAiGlobals } from '../../../src/renderer/src/preview/hostBridgeScript'

const globals: OpenAiGlobals = {
  toolInput: { message: 'Hi' }, toolOutput: { message: 'Hello, Alice!' }, toolResponseMetadata: null, widgetState: null,
  theme: 'light', displayMode: 'inline', locale: 'fr-FR', maxHeight: 560,
  safeArea: { insets: { top: 0, bottom: 0, left: 0, right: 0 } }, userAgent: { device: { type: 'desktop' }, capabilities: { hover: true, touch: false } }, view: { mode: 'inline' },
}
const callResult: WidgetCallResult = { result: { content: [{ type: 'text', text: 'done' }], structuredContent: { n: 1 } }, httpError: null, eventId: 7, identityLabel: 'Alice' }

function harness(overrides: { callTool?: () => Promise<WidgetCallResult> } = {}) {
  const posted: Record<string, unknown>[] = []
  const calls: [string, Record<string, unknown>][] = []
  let mode = 'inline'
  const handler = createHostHandler({
    post: (m) => posted.push(m as Record<string, unknown>),
    globals: () => globals,
    callTool: overrides.callTool ?? (async (name, args) => (calls.push([name, args]), callResult)),
    setWidgetState: () => {},
    requestDisplayMode: (m) => ((mode = m), m),
    openExternal: () => {},
    resize: () => {},
    record: () => {},
  })
  const settle = () => new Promise((r) => setTimeout(r, 0))
  return { handler, posted, calls, settle, mode: () => mode }
}

describe('preview host', () => {
  it('answers ui/initialize with the host context, then sends tool input and result after initialized', async () => {
    const h = harness()
    h.handler.handle({ jsonrpc: '2.0', id: 1, method: 'ui/initialize', params: { protocolVersion: '2025-06-18' } })
    await h.settle()
    expect(h.posted[0]).toMatchObject({ id: 1, result: { protocolVersion: '2025-06-18', hostContext: { theme: 'light', locale: 'fr-FR', displayMode: 'inline' } } })
    h.handler.handle({ jsonrpc: '2.0', method: 'ui/notifications/initialized' })
    await h.settle()
    expect(h.posted.slice(1).map((m) => m.method)).toEqual(['ui/notifications/tool-input', 'ui/notifications/tool-result'])
    expect(h.posted[1]).toMatchObject({ params: { arguments: { message: 'Hi' } } })
    expect(h.posted[2]).toMatchObject({ params: { structuredContent: { message: 'Hello, Alice!' } } })
  })

  it('runs tools/call through the server and returns the tool result to the widget', async () => {
    const h = harness()
    h.handler.handle({ jsonrpc: '2.0', id: 'c1', method: 'tools/call', params: { name: 'public-widget', arguments: { message: 'x' } } })
    await h.settle()
    expect(h.calls).toEqual([['public-widget', { message: 'x' }]])
    expect(h.posted[0]).toEqual({ jsonrpc: '2.0', id: 'c1', result: { content: [{ type: 'text', text: 'done' }], structuredContent: { n: 1 } } })
  })

  it('answers window.openai.callTool by call id, with an error when the call fails', async () => {
    const h = harness({ callTool: async () => { throw new Error('boom') } })
    h.handler.handle({ source: 'workbench-widget', type: 'callTool', callId: 3, payload: { name: 'x', args: {} } })
    await h.settle()
    expect(h.posted[0]).toMatchObject({ source: 'workbench-host', type: 'response', callId: 3, error: 'boom' })
  })

  it('grants display mode requests and refuses unknown JSON-RPC methods with -32601', async () => {
    const h = harness()
    h.handler.handle({ source: 'workbench-widget', type: 'requestDisplayMode', callId: 1, payload: { mode: 'fullscreen' } })
    h.handler.handle({ jsonrpc: '2.0', id: 2, method: 'ui/does-not-exist' })
    await h.settle()
    expect(h.mode()).toBe('fullscreen')
    expect(h.posted).toContainEqual(expect.objectContaining({ callId: 1, result: { mode: 'fullscreen' } }))
    expect(h.posted).toContainEqual(expect.objectContaining({ id: 2, error: expect.objectContaining({ code: -32601 }) }))
  })

  it('pushes changed globals as openai:set_globals and host-context-changed', () => {
    const h = harness()
    h.handler.pushGlobals({ theme: 'dark' })
    expect(h.posted.map((m) => m.type ?? m.method)).toEqual(['set_globals', 'ui/notifications/host-context-changed'])
  })

  it('gives callTool the result text ChatGPT adds, and the challenge for a refused token', () => {
    expect(toolResultForWidget(callResult)).toMatchObject({ result: 'done', structuredContent: { n: 1 } })
    expect(toolResultForWidget({ ...callResult, httpError: { status: 401, wwwAuthenticate: 'Bearer error="invalid_token"', body: '' } })).toMatchObject({ isError: true, _meta: { 'mcp/www_authenticate': 'Bearer error="invalid_token"' } })
  })
})
