import type { CallToolResult } from '@modelcontextprotocol/client'
import {
  PostMessageTransport,
  type McpUiDisplayMode,
} from '@modelcontextprotocol/ext-apps/app-bridge'
import { buildWidgetDocument } from './buildWidgetDocument'
import { buildHostContext, MAX_HEIGHT, type HostSettings } from './hostContext'
import type { OpenAiGlobals } from './hostBridgeScript'
import { createMcpAppsHost, type McpAppsHostDeps } from './mcpAppsHost'
import { createOpenAiHost, toolResponseMetadata, type OpenAiHostDeps } from './openAiHost'
import type { ServerTool } from './previewData'
import type { WidgetResource } from './widgetResource'

export type { HostSettings }

export interface PreviewViewOptions {
  frame: HTMLIFrameElement
  resource: WidgetResource
  tool: ServerTool
  callId: number
  args: Record<string, unknown>
  settings(): HostSettings
  mcp: Omit<McpAppsHostDeps, 'transport' | 'context' | 'setDisplayMode' | 'requestTeardown'>
  openai: Omit<OpenAiHostDeps, 'port' | 'setWidgetState' | 'requestDisplayMode' | 'requestClose'>
  setDisplayMode(mode: McpUiDisplayMode): void
  close(): void
  /** Set for a view the widget opened with `requestModal`. */
  modal?: { params: unknown }
}

function globalsFor(
  settings: HostSettings,
  args: Record<string, unknown>,
  result: CallToolResult | null,
  widgetState: unknown,
  modal?: { params: unknown },
): OpenAiGlobals {
  return {
    toolInput: args,
    toolOutput: result?.structuredContent ?? null,
    toolResponseMetadata: result ? toolResponseMetadata(result) : null,
    widgetState,
    theme: settings.theme,
    displayMode: settings.displayMode,
    locale: settings.locale,
    maxHeight: MAX_HEIGHT[settings.displayMode],
    safeArea: { insets: { top: 0, bottom: 0, left: 0, right: 0 } },
    userAgent: { device: { type: 'desktop' }, capabilities: { hover: true, touch: false } },
    view: modal ? { mode: 'modal', params: modal.params } : { mode: settings.displayMode },
  }
}

/**
 * One rendered view: the frame gets the document and a private port for `window.openai`; the window channel is
 * the MCP Apps bridge. The widget state lives here, so it belongs to this instance only.
 */
export async function startPreviewView(o: PreviewViewOptions) {
  const win = o.frame.contentWindow
  if (!win) throw new Error('The preview frame has no window')
  let widgetState: unknown = null
  let result: CallToolResult | null = null
  const mcp = createMcpAppsHost({
    ...o.mcp,
    transport: new PostMessageTransport(win, win),
    context: () => buildHostContext({ tool: o.tool, callId: o.callId, ...o.settings() }),
    setDisplayMode: o.setDisplayMode,
    requestTeardown: () => o.close(),
  })
  await mcp.connect()
  const channel = new MessageChannel()
  const openai = createOpenAiHost({
    ...o.openai,
    port: channel.port1,
    setWidgetState: (state) => (widgetState = state),
    requestDisplayMode: (mode) => (o.setDisplayMode(mode), mode),
    requestClose: () => o.close(),
  })
  const doc = buildWidgetDocument(
    o.resource.html,
    o.resource.csp,
    globalsFor(o.settings(), o.args, null, null, o.modal),
  )
  win.postMessage({ source: 'workbench-host', type: 'render', html: doc.html }, '*', [
    channel.port2,
  ])
  // As ChatGPT streams a tool's arguments while the model writes them: one partial per field, then the whole.
  const keys = Object.keys(o.args)
  for (let n = 1; n < keys.length; n++)
    mcp.deliverPartialInput(Object.fromEntries(keys.slice(0, n).map((k) => [k, o.args[k]])))
  mcp.deliverInput(o.args)

  return {
    rejected: doc.rejected,
    mcp,
    deliverResult(full: CallToolResult): void {
      result = full
      mcp.deliverResult(full)
      const g = globalsFor(o.settings(), o.args, result, widgetState, o.modal)
      openai.pushGlobals({ toolOutput: g.toolOutput, toolResponseMetadata: g.toolResponseMetadata })
    },
    cancel(reason: string): void {
      mcp.cancel(reason)
    },
    settingsChanged(): void {
      mcp.contextChanged()
      const g = globalsFor(o.settings(), o.args, result, widgetState, o.modal)
      openai.pushGlobals({
        theme: g.theme,
        displayMode: g.displayMode,
        locale: g.locale,
        maxHeight: g.maxHeight,
        view: g.view,
      })
    },
    async teardown(timeoutMs = 1000): Promise<string> {
      const outcome = await mcp.teardown(timeoutMs)
      openai.close()
      return outcome
    },
  }
}

export type PreviewView = Awaited<ReturnType<typeof startPreviewView>>
