import {
  InMemoryTransport,
  type CallToolResult,
  type JSONRPCMessage,
} from '@modelcontextprotocol/client'
import { App } from '@modelcontextprotocol/ext-apps'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { buildHostContext } from '../../src/renderer/src/preview/hostContext'
import { createMcpAppsHost, type McpAppsHostDeps } from '../../src/renderer/src/preview/mcpAppsHost'

// The host of one MCP Apps view against the real ext-apps `App` (what a view bundles), message by message.

interface Wire {
  direction: string
  message: JSONRPCMessage
}

function setup(overrides: Partial<McpAppsHostDeps> = {}) {
  const [hostSide, viewSide] = InMemoryTransport.createLinkedPair()
  const wire: Wire[] = []
  const seen = {
    links: [] as string[],
    messages: [] as unknown[],
    logs: [] as unknown[],
    modes: [] as string[],
    calls: [] as string[],
  }
  let displayMode: 'inline' | 'pip' | 'fullscreen' = 'inline'
  let theme: 'light' | 'dark' = 'light'
  const inputSchema = { type: 'object' }
  const tools = [
    {
      name: 'get-time',
      inputSchema,
      _meta: { ui: { resourceUri: 'ui://t', visibility: ['model', 'app'] } },
    },
    { name: 'model-only', inputSchema, _meta: { ui: { visibility: ['model'] } } },
    { name: 'app-only', inputSchema, _meta: { ui: { visibility: ['app'] } } },
    { name: 'sdk-private', inputSchema, _meta: { 'openai/widgetAccessible': false } },
  ]
  const deps: McpAppsHostDeps = {
    transport: hostSide,
    context: () =>
      buildHostContext({
        tool: { name: 'get-time', inputSchema: { type: 'object' } },
        callId: 7,
        theme,
        displayMode,
        locale: 'fr-FR',
        width: 600,
      }),
    record: (direction, message) => wire.push({ direction, message: message as JSONRPCMessage }),
    serverTools: async () => tools,
    callTool: async (name) => {
      seen.calls.push(name)
      return { content: [{ type: 'text', text: `called ${name}` }] }
    },
    serverRequest: async (method) =>
      method === 'resources/list'
        ? { resources: [{ uri: 'ui://t', name: 't' }] }
        : { contents: [{ uri: 'ui://t', text: 'x' }] },
    openLink: async (url) => (seen.links.push(url), true),
    downloadFile: async () => true,
    message: (content) => seen.messages.push(content),
    updateModelContext: () => {},
    setDisplayMode: (mode) => {
      displayMode = mode
      seen.modes.push(mode)
    },
    resize: () => {},
    log: (_level, data) => seen.logs.push(data),
    requestTeardown: () => {},
    ...overrides,
  }
  const host = createMcpAppsHost(deps)
  const app = new App(
    { name: 'test-view', version: '1.0.0' },
    { availableDisplayModes: ['inline', 'fullscreen'] },
    { autoResize: false },
  )
  const received: JSONRPCMessage[] = []
  const start = viewSide.start.bind(viewSide)
  viewSide.start = async () => {
    const inner = viewSide.onmessage
    viewSide.onmessage = (m, extra) => (received.push(m), inner?.(m, extra))
    await start()
  }
  return {
    host,
    app,
    viewSide,
    wire,
    seen,
    received,
    setTheme: (t: 'light' | 'dark') => (theme = t),
  }
}

const methodsOf = (messages: JSONRPCMessage[]) =>
  messages.map((m) => ('method' in m ? m.method : 'response'))
const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5))
  if (!check()) throw new Error('condition not met')
}

describe('MCP Apps host, message by message', () => {
  it('item 1: sends tool-input once, before the full CallToolResult, never before initialized', async () => {
    const { host, app, viewSide, received } = setup()
    await host.connect()
    const full: CallToolResult = {
      content: [{ type: 'text', text: '2026-11-29T10:00:00Z' }],
      structuredContent: { at: 1 },
      _meta: { 'x/trace': 'abc' },
      isError: false,
    }
    host.deliverInput({ q: 1 })
    host.deliverResult(full)
    host.deliverInput({ q: 2 })
    await new Promise((r) => setTimeout(r, 20))
    expect(received).toHaveLength(0) // nothing before the view initialized
    const results: unknown[] = []
    app.ontoolresult = (r) => results.push(r)
    await app.connect(viewSide)
    await until(() => results.length === 1)
    const notes = methodsOf(received).filter((m) => m.startsWith('ui/notifications/tool'))
    expect(notes).toEqual(['ui/notifications/tool-input', 'ui/notifications/tool-result'])
    const input = received.find(
      (m) => 'method' in m && m.method === 'ui/notifications/tool-input',
    ) as { params: unknown }
    expect(input.params).toEqual({ arguments: { q: 1 } })
    expect(results[0]).toEqual(full)
  })

  it('item 1: tool-input-partial comes before tool-input, never after', async () => {
    const { host, app, viewSide, received } = setup()
    await host.connect()
    host.deliverPartialInput({ city: 'Par' })
    host.deliverInput({ city: 'Paris', days: 3 })
    host.deliverPartialInput({ city: 'late' })
    host.deliverResult({ content: [] })
    await app.connect(viewSide)
    await until(() => methodsOf(received).includes('ui/notifications/tool-result'))
    expect(methodsOf(received).filter((m) => m.startsWith('ui/notifications/tool'))).toEqual([
      'ui/notifications/tool-input-partial',
      'ui/notifications/tool-input',
      'ui/notifications/tool-result',
    ])
    const partial = received.find(
      (m) => 'method' in m && m.method === 'ui/notifications/tool-input-partial',
    )
    expect(partial).toMatchObject({ params: { arguments: { city: 'Par' } } })
  })

  it('item 1: an error result reaches the view as a tool-result with isError; cancel sends tool-cancelled', async () => {
    const { host, app, viewSide, received } = setup()
    await host.connect()
    const results: CallToolResult[] = []
    const cancels: unknown[] = []
    app.ontoolresult = (r) => void results.push(r)
    app.ontoolcancelled = (c) => void cancels.push(c)
    await app.connect(viewSide)
    host.deliverInput({})
    host.deliverResult({ isError: true, content: [{ type: 'text', text: 'boom' }] })
    await until(() => results.length === 1)
    expect(results[0].isError).toBe(true)
    host.cancel('user action')
    await until(() => cancels.length === 1)
    expect(cancels[0]).toEqual({ reason: 'user action' })
    expect(methodsOf(received).filter((m) => m === 'ui/notifications/tool-input')).toHaveLength(1)
  })

  it('item 2: ui/resource-teardown is sent and awaited before the view goes; a silent view times out', async () => {
    const { host, app, viewSide } = setup()
    await host.connect()
    let tornDown = false
    app.onteardown = async () => {
      await new Promise((r) => setTimeout(r, 30))
      tornDown = true
      return {}
    }
    await app.connect(viewSide)
    expect(await host.teardown(1000)).toBe('done')
    expect(tornDown).toBe(true)

    const silent = setup()
    await silent.host.connect()
    silent.app.onteardown = () => new Promise(() => {})
    await silent.app.connect(silent.viewSide)
    expect(await silent.host.teardown(50)).toBe('timeout')
  })

  it('item 3: display modes honour what the view declared; unknown modes return the current mode', async () => {
    const { host, app, viewSide, seen } = setup()
    await host.connect()
    await app.connect(viewSide)
    expect(await app.requestDisplayMode({ mode: 'fullscreen' })).toMatchObject({
      mode: 'fullscreen',
    })
    host.contextChanged()
    expect(await app.requestDisplayMode({ mode: 'pip' })).toMatchObject({ mode: 'fullscreen' }) // not declared
    expect(seen.modes).toEqual(['fullscreen'])
    // A mode no spec knows: the current mode, not an error.
    const raw = setup()
    await raw.host.connect()
    await raw.app.connect(raw.viewSide)
    const reply = await raw.app.request(
      { method: 'ui/request-display-mode', params: { mode: 'bogus' } },
      z.unknown(),
    )
    expect(reply).toMatchObject({ mode: 'inline' })
  })

  it('item 4: ui/open-link answers isError for links the host will not open', async () => {
    const { host, app, viewSide, seen } = setup()
    await host.connect()
    await app.connect(viewSide)
    expect(await app.openLink({ url: 'https://example.com/' })).not.toHaveProperty('isError')
    expect(await app.openLink({ url: 'javascript:alert(1)' })).toMatchObject({ isError: true })
    expect(await app.openLink({ url: 'file:///etc/passwd' })).toMatchObject({ isError: true })
    expect(seen.links).toEqual(['https://example.com/'])
    const refused = setup({ openLink: async () => false })
    await refused.host.connect()
    await refused.app.connect(refused.viewSide)
    expect(await refused.app.openLink({ url: 'https://example.com/' })).toMatchObject({
      isError: true,
    })
  })

  it('item 5: only JSON-RPC reaches the view, and nothing before ui/notifications/initialized', async () => {
    const { host, app, viewSide, received, wire } = setup()
    await host.connect()
    host.contextChanged()
    host.deliverInput({})
    await app.connect(viewSide)
    await until(() => received.length >= 2)
    expect(received.every((m) => m.jsonrpc === '2.0')).toBe(true)
    const initializedAt = wire.findIndex(
      (w) => 'method' in w.message && w.message.method === 'ui/notifications/initialized',
    )
    const firstNote = wire.findIndex((w) => w.direction === 'host→view' && 'method' in w.message)
    expect(initializedAt).toBeGreaterThan(-1)
    expect(firstNote).toBeGreaterThan(initializedAt)
  })

  it('item 6: the host context is complete, and changes arrive as host-context-changed', async () => {
    const { host, app, viewSide, setTheme } = setup()
    await host.connect()
    const changes: unknown[] = []
    app.onhostcontextchanged = (c) => void changes.push(c)
    await app.connect(viewSide)
    const ctx = app.getHostContext()!
    for (const key of [
      'toolInfo',
      'theme',
      'styles',
      'displayMode',
      'availableDisplayModes',
      'containerDimensions',
      'locale',
      'timeZone',
      'platform',
      'userAgent',
      'deviceCapabilities',
      'safeAreaInsets',
    ]) {
      expect(ctx, key).toHaveProperty(key)
    }
    expect(ctx.styles?.variables?.['--color-background-primary']).toBeTruthy()
    expect(ctx.toolInfo?.tool.name).toBe('get-time')
    setTheme('dark')
    host.contextChanged()
    await until(() => changes.length === 1)
    expect(changes[0]).toMatchObject({ theme: 'dark' })
    expect(changes[0]).not.toHaveProperty('locale')
  })

  it('item 7: serves tools/call, tools/list (app-visible only), resources, messages and logs', async () => {
    const { host, app, viewSide, seen } = setup()
    await host.connect()
    await app.connect(viewSide)
    expect(await app.callServerTool({ name: 'get-time', arguments: {} })).toMatchObject({
      content: [{ text: 'called get-time' }],
    })
    expect(await app.callServerTool({ name: 'app-only', arguments: {} })).toMatchObject({
      content: [{ text: 'called app-only' }],
    })
    await expect(app.callServerTool({ name: 'model-only', arguments: {} })).rejects.toThrow(
      /not visible to apps/,
    )
    await expect(app.callServerTool({ name: 'nope', arguments: {} })).rejects.toThrow(
      /Unknown tool/,
    )
    expect(seen.calls).toEqual(['get-time', 'app-only'])
    const listed = await app.request({ method: 'tools/list', params: {} })
    expect((listed as { tools: { name: string }[] }).tools.map((t) => t.name)).toEqual([
      'get-time',
      'app-only',
    ])
    expect((await app.listServerResources()).resources[0].uri).toBe('ui://t')
    expect((await app.readServerResource({ uri: 'ui://t' })).contents[0]).toMatchObject({
      text: 'x',
    })
    await app.sendMessage({ role: 'user', content: [{ type: 'text', text: 'hello' }] })
    await app.sendLog({ level: 'info', data: 'log line' })
    await app.updateModelContext({ content: [{ type: 'text', text: 'ctx' }] })
    await until(() => seen.logs.length === 1)
    expect(seen.messages).toEqual([[{ type: 'text', text: 'hello' }]])
    expect(seen.logs).toEqual(['log line'])
    expect(await app.request({ method: 'ping', params: {} })).toEqual({})
  })

  it('item 7: tools/call before ui/initialize is refused', async () => {
    const { host, viewSide } = setup()
    await host.connect()
    const replies: JSONRPCMessage[] = []
    viewSide.onmessage = (m) => void replies.push(m)
    await viewSide.start()
    await viewSide.send({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: 'get-time', arguments: {} },
    })
    await until(() => replies.length === 1)
    expect(replies[0]).toMatchObject({
      id: 1,
      error: { message: expect.stringMatching(/before ui\/initialize/) },
    })
  })
})
