import { useEffect, useMemo, useRef, useState } from 'react'
import { buildWidgetDocument } from '../preview/buildWidgetDocument'
import { createHostHandler } from '../preview/createHostHandler'
import type { OpenAiGlobals } from '../preview/hostBridgeScript'
import { callToolFromWidget, openExternal } from '../store/actions'
import { useWorkbench } from '../store/useWorkbench'
import type { PreviewDisplayMode } from '../store/types'

const MAX_HEIGHT: Record<PreviewDisplayMode, number> = { inline: 560, pip: 360, fullscreen: 900 }

function currentGlobals(): OpenAiGlobals {
  const s = useWorkbench.getState()
  const widgetId = s.previewTemplate?.widgetId ?? ''
  const meta = s.previewResult?.result._meta ?? null
  return {
    toolInput: s.previewArgs ?? {},
    toolOutput: s.previewResult?.result.structuredContent ?? null,
    toolResponseMetadata: meta,
    widgetState: s.widgetStates[widgetId] ?? null,
    theme: s.previewTheme,
    displayMode: s.previewDisplayMode,
    locale: s.previewLocale,
    maxHeight: MAX_HEIGHT[s.previewDisplayMode],
    safeArea: { insets: { top: 0, bottom: 0, left: 0, right: 0 } },
    userAgent: { device: { type: 'desktop' }, capabilities: { hover: true, touch: false } },
    view: { mode: s.previewDisplayMode },
  }
}

const record = (m: { kind: string; text: string }): void =>
  useWorkbench.setState((s) => ({ hostMessages: [...s.hostMessages, { ...m, at: Date.now() }].slice(-50) }))

/**
 * The widget, rendered like ChatGPT renders it: a sandboxed frame (scripts only, opaque origin) that loads our
 * frame page and is handed the template with the widget's CSP and the `window.openai` bridge.
 */
export function WidgetFrame() {
  const template = useWorkbench((s) => s.previewTemplate)
  const renderKey = useWorkbench((s) => s.previewRenderKey)
  const theme = useWorkbench((s) => s.previewTheme)
  const displayMode = useWorkbench((s) => s.previewDisplayMode)
  const locale = useWorkbench((s) => s.previewLocale)
  const frameRef = useRef<HTMLIFrameElement>(null)
  const [height, setHeight] = useState(160)
  const [rejected, setRejected] = useState<string[]>([])

  const handler = useMemo(() => createHostHandler({
    post: (message) => frameRef.current?.contentWindow?.postMessage(message, '*'),
    globals: currentGlobals,
    callTool: callToolFromWidget,
    setWidgetState: (state) => {
      const id = useWorkbench.getState().previewTemplate?.widgetId
      if (id) useWorkbench.setState((s) => ({ widgetStates: { ...s.widgetStates, [id]: state } }))
    },
    requestDisplayMode: (mode) => {
      useWorkbench.getState().setPreviewDisplayMode(mode)
      return mode
    },
    openExternal: (href) => void openExternal(href),
    resize: (h) => setHeight(Math.max(40, Math.ceil(h))),
    record,
  }), [])

  useEffect(() => {
    if (!template) return
    const onMessage = (event: MessageEvent): void => {
      // The frame's origin is opaque ("null"): the window identity is the only trustworthy check.
      if (!frameRef.current || event.source !== frameRef.current.contentWindow) return
      const data = event.data as { source?: string; type?: string } | null
      if (data?.source === 'workbench-frame' && data.type === 'ready') {
        const doc = buildWidgetDocument(template.html, template.csp, currentGlobals())
        setRejected(doc.rejected)
        frameRef.current.contentWindow?.postMessage({ source: 'workbench-host', type: 'render', html: doc.html }, '*')
        return
      }
      handler.handle(event.data)
    }
    window.addEventListener('message', onMessage)
    return () => window.removeEventListener('message', onMessage)
  }, [template, renderKey, handler])

  const first = useRef(true)
  useEffect(() => {
    if (first.current) return void (first.current = false)
    handler.pushGlobals({ theme, displayMode, locale, maxHeight: MAX_HEIGHT[displayMode], view: { mode: displayMode } })
  }, [theme, displayMode, locale, handler])

  if (!template) return null
  const shown = displayMode === 'fullscreen' ? undefined : Math.min(height, MAX_HEIGHT[displayMode])
  return (
    <div className={`stage stage-${displayMode} stage-theme-${theme}`}>
      {displayMode !== 'inline' && (
        <div className="stage-bar">
          <span className="muted small">{displayMode === 'pip' ? 'Picture-in-picture' : 'Fullscreen'} · {template.widgetId}</span>
          <button type="button" className="button button-small" onClick={() => useWorkbench.getState().setPreviewDisplayMode('inline')}>Back to inline</button>
        </div>
      )}
      <iframe
        key={renderKey}
        ref={frameRef}
        title={`Widget ${template.widgetId}`}
        className="widget-frame"
        sandbox="allow-scripts"
        src="widget-frame.html"
        style={shown !== undefined ? { height: shown } : undefined}
      />
      {rejected.length > 0 && <p className="inline-error small">Ignored CSP sources that are not plain origins: {rejected.join(', ')}</p>}
    </div>
  )
}
