import {
  ProtocolError,
  ProtocolErrorCode,
  type CallToolResult,
  type JSONRPCMessage,
  type Transport,
} from '@modelcontextprotocol/client'
import {
  AppBridge,
  type McpUiDisplayMode,
  type McpUiDownloadFileRequest,
  type McpUiHostCapabilities,
  type McpUiHostContext,
} from '@modelcontextprotocol/ext-apps/app-bridge'
import { isAppCallableTool } from '../../../shared/toolVisibility'
import { changedContext, HOST_DISPLAY_MODES } from './hostContext'
import { RecordingTransport, type Direction } from './recordingTransport'

type Tool = { name: string; _meta?: Record<string, unknown> }

export interface McpAppsHostDeps {
  /** The view's side of the wire (postMessage to the frame in the browser). */
  transport: Transport
  context(): McpUiHostContext
  record(direction: Direction, message: unknown): void
  /** The server's tools as this host sees them (filtered here to what views may call). */
  serverTools(): Promise<Tool[]>
  callTool(name: string, args: Record<string, unknown>): Promise<CallToolResult>
  /** `resources/read` and `resources/list` passed to the server as the preview identity. */
  serverRequest(
    method: 'resources/read' | 'resources/list',
    params: Record<string, unknown>,
  ): Promise<Record<string, unknown>>
  /** Opens an http(s) link; false when refused. */
  openLink(url: string): Promise<boolean>
  downloadFile(contents: McpUiDownloadFileRequest['params']['contents']): Promise<boolean>
  message(content: unknown): void
  updateModelContext(params: unknown): void
  setDisplayMode(mode: McpUiDisplayMode): void
  resize(size: { width?: number; height?: number }): void
  log(level: string, data: unknown): void
  requestTeardown(): void
}

export const HOST_INFO = { name: 'MCP Auth Workbench', version: '0.1.0' }

/** What this host offers views, by capability; anything else is refused. */
export const HOST_CAPABILITIES: McpUiHostCapabilities = {
  openLinks: {},
  downloadFile: {},
  serverTools: {},
  serverResources: {},
  logging: {},
  updateModelContext: { text: {}, structuredContent: {} },
  message: { text: {} },
}

export function isHttpUrl(url: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(url).protocol)
  } catch {
    return false
  }
}

/**
 * The MCP Apps side of one view, on the ext-apps `AppBridge`: the `ui/*` handshake, the tool input and result
 * (input exactly once, before the result, nothing before `ui/notifications/initialized`), the view's requests
 * served or refused by capability, and teardown.
 */
export function createMcpAppsHost(deps: McpAppsHostDeps) {
  let context = deps.context()
  const bridge = new AppBridge(null, HOST_INFO, HOST_CAPABILITIES, { hostContext: context })
  let initialized = false
  let inputSent = false
  let input: Record<string, unknown> | null = null
  let result: CallToolResult | null = null
  let cancelled: string | null = null
  let closed = false
  const partials: Record<string, unknown>[] = []

  const flush = (): void => {
    if (!initialized || closed) return
    if (!inputSent)
      for (const partial of partials.splice(0))
        void bridge.sendToolInputPartial({ arguments: partial })
    if (input && !inputSent) {
      inputSent = true
      void bridge.sendToolInput({ arguments: input })
    }
    if (!inputSent) return
    if (result) void bridge.sendToolResult(result)
    else if (cancelled !== null) void bridge.sendToolCancelled({ reason: cancelled })
    result = null
    cancelled = null
  }
  const refuse = (message: string): never => {
    throw new ProtocolError(ProtocolErrorCode.InvalidRequest, message)
  }
  const declaredModes = (): McpUiDisplayMode[] | undefined =>
    bridge.getAppCapabilities()?.availableDisplayModes

  bridge.oninitialized = () => {
    initialized = true
    const now = deps.context()
    const diff = changedContext(context, now)
    context = now
    if (diff) void bridge.sendHostContextChange(diff)
    flush()
  }
  bridge.onsizechange = (size) => deps.resize(size)
  bridge.onloggingmessage = (params) => deps.log(params.level, params.data)
  bridge.onrequestteardown = () => deps.requestTeardown()
  bridge.oncalltool = async (params) => {
    if (!bridge.getAppCapabilities())
      refuse('tools/call before ui/initialize: initialize the view first')
    const tool = (await deps.serverTools()).find((t) => t.name === params.name)
    if (!tool) refuse(`Unknown tool: ${params.name}`)
    if (!isAppCallableTool(tool!))
      refuse(`${params.name} is not visible to apps (_meta.ui.visibility lacks "app")`)
    return deps.callTool(params.name, (params.arguments as Record<string, unknown>) ?? {})
  }
  bridge.setRequestHandler('tools/list', async () => {
    if (!bridge.getAppCapabilities()) refuse('tools/list before ui/initialize')
    return { tools: (await deps.serverTools()).filter(isAppCallableTool) as never }
  })
  bridge.onreadresource = async (params) =>
    (await deps.serverRequest('resources/read', params as Record<string, unknown>)) as never
  bridge.onlistresources = async (params) =>
    (await deps.serverRequest('resources/list', (params ?? {}) as Record<string, unknown>)) as never
  bridge.onopenlink = async ({ url }) => {
    if (!isHttpUrl(url)) return { isError: true, reason: 'Only http(s) links are opened' }
    return (await deps.openLink(url))
      ? {}
      : { isError: true, reason: 'The host refused to open the link' }
  }
  bridge.ondownloadfile = async ({ contents }) =>
    (await deps.downloadFile(contents)) ? {} : { isError: true }
  bridge.onmessage = async (params) => {
    deps.message(params.content)
    return {}
  }
  bridge.onupdatemodelcontext = async (params) => {
    deps.updateModelContext(params)
    return {}
  }
  bridge.onrequestdisplaymode = async ({ mode }) => {
    const current = context.displayMode ?? 'inline'
    const declared = declaredModes()
    const allowed = HOST_DISPLAY_MODES.includes(mode) && (!declared || declared.includes(mode))
    if (!allowed) return { mode: current }
    deps.setDisplayMode(mode)
    return { mode }
  }

  return {
    bridge,
    async connect(): Promise<void> {
      // A display mode no spec knows is answered with the current mode, not an invalid-params error.
      const adjust = (m: JSONRPCMessage): JSONRPCMessage => {
        if (!('method' in m) || m.method !== 'ui/request-display-mode' || !('id' in m)) return m
        const mode = (m.params as { mode?: unknown } | undefined)?.mode
        if (HOST_DISPLAY_MODES.includes(mode as McpUiDisplayMode)) return m
        return { ...m, params: { ...m.params, mode: context.displayMode ?? 'inline' } }
      }
      await bridge.connect(new RecordingTransport(deps.transport, deps.record, adjust))
    },
    isInitialized: () => initialized,
    /** Arguments as a host streams them while the model writes them: sent only before the full input. */
    deliverPartialInput(args: Record<string, unknown>): void {
      if (input || inputSent) return
      partials.push(args)
      flush()
    },
    /** The tool's arguments, sent once after the handshake. */
    deliverInput(args: Record<string, unknown>): void {
      if (input) return
      input = args
      flush()
    },
    /** The full CallToolResult (content, structuredContent, _meta, isError). */
    deliverResult(full: CallToolResult): void {
      result = full
      flush()
    },
    cancel(reason: string): void {
      cancelled = reason
      flush()
    },
    /** Sends what changed in the host context; nothing before the handshake (ui/initialize gets it all). */
    contextChanged(): void {
      const now = deps.context()
      if (!initialized) return void (context = now)
      const diff = changedContext(context, now)
      context = now
      if (diff) void bridge.sendHostContextChange(diff)
    },
    /** `ui/resource-teardown`, awaited up to `timeoutMs`; then the bridge closes. */
    async teardown(timeoutMs = 1000): Promise<'done' | 'timeout' | 'skipped'> {
      if (closed) return 'skipped'
      let outcome: 'done' | 'timeout' | 'skipped' = 'skipped'
      if (initialized) {
        outcome = await bridge.teardownResource({}, { timeout: timeoutMs }).then(
          () => 'done' as const,
          () => 'timeout' as const,
        )
      }
      closed = true
      await bridge.close().catch(() => {})
      return outcome
    },
  }
}

export type McpAppsHost = ReturnType<typeof createMcpAppsHost>
