import type { WidgetCallResult } from '../../../shared/contract'
import type { HostMessage, PreviewDisplayMode } from '../store/types'
import type { OpenAiGlobals } from './hostBridgeScript'

export interface HostHandlerDeps {
  /** Posts to the widget frame (target origin '*': the frame's origin is opaque). */
  post(message: unknown): void
  globals(): OpenAiGlobals
  callTool(name: string, args: Record<string, unknown>): Promise<WidgetCallResult>
  setWidgetState(state: unknown): void
  requestDisplayMode(mode: PreviewDisplayMode): PreviewDisplayMode
  openExternal(href: string): void
  resize(height: number): void
  record(message: Omit<HostMessage, 'at'>): void
}

type JsonRpcId = string | number
interface JsonRpcMessage { jsonrpc: '2.0'; id?: JsonRpcId; method?: string; params?: Record<string, unknown> }

const DISPLAY_MODES: PreviewDisplayMode[] = ['inline', 'pip', 'fullscreen']

/** What `callTool` resolves to in the widget: the tool result, plus ChatGPT's `result` text. */
export function toolResultForWidget(call: WidgetCallResult): Record<string, unknown> {
  if (call.httpError) return { isError: true, content: [{ type: 'text', text: `HTTP ${call.httpError.status}: ${call.httpError.body}` }], _meta: { 'mcp/www_authenticate': call.httpError.wwwAuthenticate } }
  const text = (call.result.content ?? [])
    .map((c) => (c && typeof c === 'object' && 'text' in c ? String((c as { text: unknown }).text) : ''))
    .join('\n')
  return { ...call.result, result: text }
}

/**
 * The host side of the preview: `window.openai` requests (from the injected bridge) and MCP Apps `ui/*`
 * JSON-RPC. The caller has already checked that the message came from the widget frame's window.
 */
export function createHostHandler(deps: HostHandlerDeps) {
  const respond = (callId: unknown, result: unknown, error?: string): void =>
    deps.post({ source: 'workbench-host', type: 'response', callId, result, error })
  const rpcResult = (id: JsonRpcId, result: unknown): void => deps.post({ jsonrpc: '2.0', id, result })
  const rpcError = (id: JsonRpcId, code: number, message: string): void => deps.post({ jsonrpc: '2.0', id, error: { code, message } })
  const hostContext = (): Record<string, unknown> => {
    const g = deps.globals()
    return { theme: g.theme, displayMode: g.displayMode, availableDisplayModes: DISPLAY_MODES, locale: g.locale, containerDimensions: { maxHeight: g.maxHeight } }
  }

  /** Sends the tool input and result the MCP Apps way (after `ui/notifications/initialized`). */
  const sendToolData = (): void => {
    const g = deps.globals()
    deps.post({ jsonrpc: '2.0', method: 'ui/notifications/tool-input', params: { arguments: g.toolInput } })
    deps.post({ jsonrpc: '2.0', method: 'ui/notifications/tool-result', params: { content: [], structuredContent: g.toolOutput, _meta: g.toolResponseMetadata ?? undefined } })
  }

  async function onOpenAi(m: { type: string; payload: Record<string, unknown> | undefined; callId?: unknown }): Promise<void> {
    const p = m.payload ?? {}
    switch (m.type) {
      case 'callTool': {
        const name = String(p.name)
        deps.record({ kind: 'callTool', text: `${name} ${JSON.stringify(p.args ?? {})}` })
        try {
          respond(m.callId, toolResultForWidget(await deps.callTool(name, (p.args as Record<string, unknown>) ?? {})))
        } catch (err) {
          respond(m.callId, undefined, err instanceof Error ? err.message : String(err))
        }
        return
      }
      case 'setWidgetState':
        deps.setWidgetState(m.payload)
        deps.record({ kind: 'setWidgetState', text: JSON.stringify(m.payload) })
        return
      case 'sendFollowUpMessage':
        deps.record({ kind: 'sendFollowUpMessage', text: String(p.prompt ?? '') })
        return
      case 'requestDisplayMode': {
        const wanted = DISPLAY_MODES.includes(p.mode as PreviewDisplayMode) ? (p.mode as PreviewDisplayMode) : 'inline'
        const granted = deps.requestDisplayMode(wanted)
        deps.record({ kind: 'requestDisplayMode', text: granted })
        respond(m.callId, { mode: granted })
        return
      }
      case 'openExternal':
        deps.record({ kind: 'openExternal', text: String(p.href ?? '') })
        if (typeof p.href === 'string') deps.openExternal(p.href)
        return
      case 'resize':
        if (typeof p.height === 'number') deps.resize(p.height)
        return
      case 'cspViolation':
        deps.record({ kind: 'CSP blocked', text: `${String(p.blockedURI)} (${String(p.directive)})` })
        return
    }
  }

  async function onRpc(m: JsonRpcMessage): Promise<void> {
    const params = m.params ?? {}
    if (m.id === undefined) {
      if (m.method === 'ui/notifications/initialized') sendToolData()
      else if (m.method === 'ui/notifications/size-changed' && typeof params.height === 'number') deps.resize(params.height)
      return
    }
    switch (m.method) {
      case 'ui/initialize':
        return rpcResult(m.id, {
          protocolVersion: typeof params.protocolVersion === 'string' ? params.protocolVersion : '2025-06-18',
          hostInfo: { name: 'MCP Auth Workbench', version: '0.1.0' },
          hostCapabilities: { openLinks: {}, serverTools: {}, logging: {} },
          hostContext: hostContext(),
        })
      case 'tools/call': {
        const name = String(params.name)
        deps.record({ kind: 'tools/call', text: `${name} ${JSON.stringify(params.arguments ?? {})}` })
        try {
          const call = await deps.callTool(name, (params.arguments as Record<string, unknown>) ?? {})
          const { result: _text, ...result } = toolResultForWidget(call)
          return rpcResult(m.id, result)
        } catch (err) {
          return rpcError(m.id, -32603, err instanceof Error ? err.message : String(err))
        }
      }
      case 'ui/message':
        deps.record({ kind: 'ui/message', text: JSON.stringify(params.content ?? params) })
        return rpcResult(m.id, {})
      case 'ui/open-link':
        deps.record({ kind: 'ui/open-link', text: String(params.url ?? '') })
        if (typeof params.url === 'string') deps.openExternal(params.url)
        return rpcResult(m.id, {})
      case 'ui/request-display-mode': {
        const wanted = DISPLAY_MODES.includes(params.mode as PreviewDisplayMode) ? (params.mode as PreviewDisplayMode) : 'inline'
        return rpcResult(m.id, { mode: deps.requestDisplayMode(wanted) })
      }
      case 'ui/update-model-context':
        deps.record({ kind: 'ui/update-model-context', text: JSON.stringify(params) })
        return rpcResult(m.id, {})
      case 'ping':
        return rpcResult(m.id, {})
      default:
        return rpcError(m.id, -32601, `Method not found: ${String(m.method)}`)
    }
  }

  return {
    /** Handles one message from the widget frame. */
    handle(data: unknown): void {
      if (!data || typeof data !== 'object') return
      const m = data as Record<string, unknown>
      if (m.source === 'workbench-widget' && typeof m.type === 'string') void onOpenAi(m as Parameters<typeof onOpenAi>[0])
      else if (m.jsonrpc === '2.0') void onRpc(m as unknown as JsonRpcMessage)
    },
    /** Pushes changed globals both ways: `openai:set_globals` and MCP Apps host-context-changed. */
    pushGlobals(globals: Partial<OpenAiGlobals>): void {
      deps.post({ source: 'workbench-host', type: 'set_globals', globals })
      deps.post({ jsonrpc: '2.0', method: 'ui/notifications/host-context-changed', params: hostContext() })
    },
  }
}
