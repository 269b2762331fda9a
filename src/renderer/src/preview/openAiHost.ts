import type { CallToolResult } from '@modelcontextprotocol/client'
import type { OpenAiGlobals } from './hostBridgeScript'

type DisplayMode = OpenAiGlobals['displayMode']

export interface OpenAiHostDeps {
  /** The host's end of the widget's private `window.openai` port. */
  port: MessagePort
  record(kind: string, text: string): void
  /** A tool call from the widget; unknown or not widget-accessible tools resolve to an error result. */
  callTool(name: string, args: Record<string, unknown>): Promise<CallToolResult>
  setWidgetState(state: unknown): void
  requestDisplayMode(mode: DisplayMode): DisplayMode
  openExternal(href: string): Promise<boolean>
  followUp(prompt: string): void
  /** Resolves once the modal is open. */
  requestModal(request: { params: unknown; template: unknown }): Promise<void>
  requestClose(): void
  setOpenInAppUrl(href: string): void
  resize(height: number): void
  painted(at: number): void
  /** Escape pressed inside the frame. */
  escape?(): void
}

const DISPLAY_MODES: DisplayMode[] = ['inline', 'pip', 'fullscreen']
const MAX_FILE_BYTES = 20 * 1024 * 1024

/** What ChatGPT hands a widget as `toolResponseMetadata`: the call's envelope, the result's `_meta` on top. */
export function toolResponseMetadata(result: CallToolResult): Record<string, unknown> {
  return {
    ...(result._meta ?? {}),
    status: result.isError ? 'error' : 'success',
    call_tool_result: {
      content: result.content,
      structuredContent: result.structuredContent ?? null,
    },
    mcp_tool_result: result,
    _meta: result._meta ?? {},
  }
}

/** What `window.openai.callTool` resolves to: the tool result plus ChatGPT's `result` text. */
export function toolResultForWidget(result: CallToolResult): Record<string, unknown> {
  const text = (result.content ?? []).map((c) => ('text' in c ? String(c.text) : '')).join('\n')
  return { ...result, result: text }
}

/** A data: URL, which the opaque-origin frame can load (a blob: URL of the host's origin it could not). */
async function readAsDataUrl(blob: Blob): Promise<string> {
  const bytes = new Uint8Array(await blob.arrayBuffer())
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return `data:${blob.type || 'application/octet-stream'};base64,${btoa(binary)}`
}

/** The host side of `window.openai` for one widget instance (its state and files live and die with it). */
export function createOpenAiHost(deps: OpenAiHostDeps) {
  const files = new Map<string, Blob>()
  const respond = (callId: unknown, result: unknown, error?: string): void =>
    deps.port.postMessage({ type: 'response', callId, result, error })

  async function handle(type: string, p: Record<string, unknown>): Promise<unknown> {
    switch (type) {
      case 'callTool': {
        const name = String(p.name)
        deps.record('callTool', `${name} ${JSON.stringify(p.args ?? {})}`)
        return toolResultForWidget(
          await deps.callTool(name, (p.args as Record<string, unknown>) ?? {}),
        )
      }
      case 'setWidgetState':
        deps.setWidgetState(p)
        deps.record('setWidgetState', JSON.stringify(p))
        return undefined
      case 'sendFollowUpMessage':
        deps.followUp(String(p.prompt ?? ''))
        return undefined
      case 'requestDisplayMode': {
        const wanted = DISPLAY_MODES.includes(p.mode as DisplayMode)
          ? (p.mode as DisplayMode)
          : null
        const granted = wanted ? deps.requestDisplayMode(wanted) : deps.requestDisplayMode('inline')
        deps.record('requestDisplayMode', `${String(p.mode)} → ${granted}`)
        return { mode: granted }
      }
      case 'requestModal':
        deps.record('requestModal', JSON.stringify({ template: p.template, params: p.params }))
        await deps.requestModal({ params: p.params, template: p.template })
        return undefined
      case 'requestClose':
        deps.record('requestClose', '')
        deps.requestClose()
        return undefined
      case 'openExternal': {
        const href = String(p.href ?? '')
        deps.record('openExternal', href)
        if (!(await deps.openExternal(href))) throw new Error(`The host will not open ${href}`)
        return undefined
      }
      case 'setOpenInAppUrl':
        deps.record('setOpenInAppUrl', String(p.href ?? ''))
        deps.setOpenInAppUrl(String(p.href ?? ''))
        return undefined
      case 'uploadFile': {
        const file = p.file
        if (!(file instanceof Blob)) throw new Error('uploadFile expects a File')
        if (file.size > MAX_FILE_BYTES) throw new Error('The file is larger than 20 MB')
        const fileId = `file_${crypto.randomUUID().replace(/-/g, '')}`
        files.set(fileId, file)
        deps.record(
          'uploadFile',
          `${(file as File).name ?? 'blob'} (${file.size} bytes) → ${fileId}`,
        )
        return { fileId }
      }
      case 'getFileDownloadUrl': {
        const file = files.get(String(p.fileId))
        if (!file) throw new Error(`Unknown fileId ${String(p.fileId)}`)
        return { downloadUrl: await readAsDataUrl(file) }
      }
      case 'selectFiles':
        return { files: [...files.keys()].map((fileId) => ({ fileId })) }
      default:
        throw new Error(`window.openai has no ${type}`)
    }
  }

  deps.port.onmessage = (event: MessageEvent) => {
    const m = event.data as {
      type?: string
      payload?: Record<string, unknown>
      callId?: unknown
    } | null
    if (!m || typeof m.type !== 'string') return
    const p = m.payload ?? {}
    if (m.type === 'resize') return void (typeof p.height === 'number' && deps.resize(p.height))
    if (m.type === 'painted') return void (typeof p.at === 'number' && deps.painted(p.at))
    if (m.type === 'ready') return
    if (m.type === 'escape') return void deps.escape?.()
    if (m.type === 'cspViolation') {
      // eval/inline refusals come from the page's own code (often a library's feature probe), not a
      // network origin the widget forgot to declare: shown apart, so real CSP gaps stand out.
      const origin = /^[a-z][a-z0-9+.-]*:/i.test(String(p.blockedURI))
      return deps.record(
        origin ? 'CSP blocked' : 'CSP (page code)',
        `${String(p.blockedURI)} (${String(p.directive)})`,
      )
    }
    if (m.type === 'frameError')
      return deps.record(
        'uncaught error',
        `${String(p.message)}${p.line ? ` (line ${String(p.line)})` : ''}`,
      )
    handle(m.type, p).then(
      (result) => m.callId !== undefined && respond(m.callId, result),
      (err: unknown) =>
        m.callId !== undefined &&
        respond(m.callId, undefined, err instanceof Error ? err.message : String(err)),
    )
  }

  return {
    /** Pushes changed globals to the widget (`openai:set_globals`), on its private port only. */
    pushGlobals(globals: Partial<OpenAiGlobals>): void {
      deps.port.postMessage({ type: 'set_globals', globals })
    },
    close(): void {
      deps.port.close()
      files.clear()
    },
  }
}
