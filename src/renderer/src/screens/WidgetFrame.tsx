import { useCallback, useEffect, useRef, useState } from 'react'
import { MAX_HEIGHT } from '../preview/hostContext'
import { attachView, currentViewIdentity, recordHostMessage } from '../preview/previewActions'
import { loadResourceByUri } from '../preview/previewData'
import { startPreviewView, type HostSettings, type PreviewView } from '../preview/previewView'
import { allowAttribute } from '../preview/widgetResource'
import { useWorkbench } from '../store/useWorkbench'
import { viewServices } from './widgetViewOptions'
import { WidgetModal, type ModalRequest } from './WidgetModal'

function settings(frame: HTMLIFrameElement | null): HostSettings {
  const s = useWorkbench.getState()
  return {
    theme: s.previewTheme,
    displayMode: s.previewDisplayMode,
    locale: s.previewLocale,
    width: frame?.clientWidth ?? 600,
  }
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
  const [modal, setModal] = useState<ModalRequest | null>(null)
  const closeModal = useCallback(() => setModal(null), [])

  useEffect(() => {
    if (!template) return
    const identity = currentViewIdentity
    // ChatGPT's requestModal: the given template, else this widget's own; resolves once the modal is open.
    const openModal = async (request: { params: unknown; template: unknown }): Promise<void> => {
      const uri = typeof request.template === 'string' ? request.template : ''
      const resource =
        uri && uri !== template.resource.uri
          ? await loadResourceByUri(uri, identity())
          : template.resource
      await new Promise<void>((opened) =>
        setModal({ resource, params: request.params ?? null, identity: identity(), opened }),
      )
    }
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
        ...viewServices({
          identity,
          callId,
          resize: (h) => setHeight(Math.max(40, Math.ceil(h))),
          requestModal: openModal,
        }),
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
      setModal(null)
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
      {modal && (
        <WidgetModal
          request={modal}
          tool={template.tool}
          callId={callId}
          args={args}
          settings={settings}
          onClose={closeModal}
        />
      )}
      {rejected.length > 0 && (
        <p className="inline-error small">
          Ignored CSP sources that are not plain origins: {rejected.join(', ')}
        </p>
      )}
    </div>
  )
}
