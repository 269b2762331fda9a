import { useEffect, useRef, useState } from 'react'
import { MAX_HEIGHT } from '../preview/hostContext'
import {
  attachView,
  callToolFromWidget,
  currentViewIdentity,
  recordHostMessage,
} from '../preview/previewActions'
import { serverLists, serverRequest } from '../preview/previewData'
import { startPreviewView, type HostSettings, type PreviewView } from '../preview/previewView'
import { allowAttribute } from '../preview/widgetResource'
import { openExternal } from '../store/actions'
import { useWorkbench } from '../store/useWorkbench'

const clip = (text: string, max = 400): string =>
  text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text

function settings(frame: HTMLIFrameElement | null): HostSettings {
  const s = useWorkbench.getState()
  return {
    theme: s.previewTheme,
    displayMode: s.previewDisplayMode,
    locale: s.previewLocale,
    width: frame?.clientWidth ?? 600,
  }
}

function notice(patch: Partial<ReturnType<typeof useWorkbench.getState>['previewNotices']>): void {
  useWorkbench.setState((s) => ({ previewNotices: { ...s.previewNotices, ...patch } }))
}

function downloadBlob(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = name
  a.click()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

/**
 * The widget, rendered like ChatGPT renders it: a sandboxed frame (scripts only, opaque origin) that loads our
 * frame page and is handed the template with the widget's CSP. The window channel carries the MCP Apps bridge,
 * a private port carries `window.openai`.
 */
export function WidgetFrame() {
  const template = useWorkbench((s) => s.previewTemplate)
  const call = useWorkbench((s) => s.previewCall)
  const renderKey = useWorkbench((s) => s.previewRenderKey)
  const theme = useWorkbench((s) => s.previewTheme)
  const displayMode = useWorkbench((s) => s.previewDisplayMode)
  const locale = useWorkbench((s) => s.previewLocale)
  const frameRef = useRef<HTMLIFrameElement>(null)
  const viewRef = useRef<PreviewView | null>(null)
  const [height, setHeight] = useState(160)
  const [rejected, setRejected] = useState<string[]>([])
  const callId = call?.id ?? 0
  const args = useWorkbench((s) => s.previewArgs)

  useEffect(() => {
    if (!template) return
    const identity = currentViewIdentity
    const onMessage = (event: MessageEvent): void => {
      // The frame's origin is opaque ("null"): the window identity is the only trustworthy check.
      const frame = frameRef.current
      if (!frame || event.source !== frame.contentWindow) return
      const data = event.data as { source?: string; type?: string } | null
      if (data?.source !== 'workbench-frame' || data.type !== 'ready' || viewRef.current) return
      void startPreviewView({
        frame,
        resource: template.resource,
        tool: template.tool,
        callId,
        args: args ?? {},
        settings: () => settings(frameRef.current),
        setDisplayMode: (mode) => useWorkbench.getState().setPreviewDisplayMode(mode),
        close: () =>
          recordHostMessage({ kind: 'close requested', text: 'the widget asked to be closed' }),
        mcp: {
          record: (direction, message) =>
            recordHostMessage({
              kind: (message as { method?: string }).method ?? 'response',
              direction,
              text: clip(JSON.stringify(message)),
            }),
          serverTools: async () => (await serverLists(identity())).tools,
          callTool: callToolFromWidget,
          serverRequest: (method, params) => serverRequest(method, params, identity()),
          openLink: async (url) => (await openExternal(url), true),
          downloadFile: async (contents) => {
            for (const item of contents) {
              if (item.type === 'resource' && 'text' in item.resource)
                downloadBlob(
                  item.resource.uri.split('/').pop() || 'download',
                  new Blob([item.resource.text]),
                )
              else if (item.type === 'resource' && 'blob' in item.resource) {
                const bytes = Uint8Array.from(atob(item.resource.blob), (c) => c.charCodeAt(0))
                downloadBlob(
                  item.resource.uri.split('/').pop() || 'download',
                  new Blob([bytes], { type: item.resource.mimeType }),
                )
              } else if (item.type === 'resource_link' && /^https?:/.test(item.uri))
                await openExternal(item.uri)
              else return false
            }
            return true
          },
          message: (content) =>
            recordHostMessage({ kind: 'chat message', text: clip(JSON.stringify(content)) }),
          updateModelContext: (params) =>
            notice({ modelContext: clip(JSON.stringify(params), 2000) }),
          resize: (size) =>
            size.height !== undefined && setHeight(Math.max(40, Math.ceil(size.height))),
          log: (level, data) =>
            recordHostMessage({
              kind: `log ${level}`,
              text: clip(typeof data === 'string' ? data : JSON.stringify(data)),
            }),
        },
        openai: {
          record: (kind, text) =>
            recordHostMessage({
              kind,
              text: clip(text),
              direction: /^(CSP|uncaught)/.test(kind) ? 'frame' : 'window.openai',
            }),
          callTool: callToolFromWidget,
          openExternal: async (href) =>
            /^https?:\/\//i.test(href) && (await openExternal(href), true),
          followUp: (prompt) => recordHostMessage({ kind: 'follow-up message', text: prompt }),
          requestModal: (request) => notice({ modal: clip(JSON.stringify(request), 2000) }),
          setOpenInAppUrl: (href) => notice({ openInAppUrl: href }),
          resize: (h) => setHeight(Math.max(40, Math.ceil(h))),
          painted: (at) =>
            useWorkbench.setState((s) => ({
              previewCall:
                s.previewCall?.id === callId ? { ...s.previewCall, paintedAt: at } : s.previewCall,
            })),
        },
      }).then(
        (view) => {
          viewRef.current = view
          setRejected(view.rejected)
          attachView(callId, view)
        },
        (err: unknown) =>
          recordHostMessage({
            kind: 'host error',
            text: err instanceof Error ? err.message : String(err),
          }),
      )
    }
    window.addEventListener('message', onMessage)
    return () => {
      window.removeEventListener('message', onMessage)
      viewRef.current = null
    }
  }, [template, renderKey, callId, args])

  useEffect(() => {
    viewRef.current?.settingsChanged()
  }, [theme, displayMode, locale])

  if (!template) return null
  const shown = displayMode === 'fullscreen' ? undefined : Math.min(height, MAX_HEIGHT[displayMode])
  const border = template.resource.prefersBorder === false ? ' stage-borderless' : ''
  return (
    <div className={`stage stage-${displayMode} stage-theme-${theme}${border}`}>
      {displayMode !== 'inline' && (
        <div className="stage-bar">
          <span className="muted small">
            {displayMode === 'pip' ? 'Picture-in-picture' : 'Fullscreen'} · {template.widgetId}
          </span>
          <button
            type="button"
            className="button button-small"
            onClick={() => useWorkbench.getState().setPreviewDisplayMode('inline')}
          >
            Back to inline
          </button>
        </div>
      )}
      <iframe
        key={renderKey}
        ref={frameRef}
        title={`Widget ${template.widgetId}`}
        className="widget-frame"
        sandbox="allow-scripts"
        allow={allowAttribute(template.resource.permissions)}
        src="widget-frame.html"
        style={shown !== undefined ? { height: shown } : undefined}
      />
      {rejected.length > 0 && (
        <p className="inline-error small">
          Ignored CSP sources that are not plain origins: {rejected.join(', ')}
        </p>
      )}
    </div>
  )
}
