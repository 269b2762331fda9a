import { useCallback, useEffect, useId, useRef, useState } from 'react'
import { createPortal } from 'react-dom'
import { recordHostMessage } from '../preview/previewActions'
import { startPreviewView, type HostSettings, type PreviewView } from '../preview/previewView'
import type { ServerTool } from '../preview/previewData'
import { allowAttribute, type WidgetResource } from '../preview/widgetResource'
import { useWorkbench } from '../store/useWorkbench'
import { viewServices } from './widgetViewOptions'
import type { IdentityChoice } from '../../../shared/contract'

/** What `window.openai.requestModal` asked for, with the template already read. */
export interface ModalRequest {
  resource: WidgetResource
  params: unknown
  identity: IdentityChoice
  /** Resolves the widget's `requestModal` promise. */
  opened(): void
}

interface Props {
  request: ModalRequest
  tool: ServerTool
  callId: number
  args: Record<string, unknown> | null
  settings(frame: HTMLIFrameElement | null): HostSettings
  onClose(): void
}

/**
 * The modal a widget opens, as ChatGPT shows it: a dialog over the window whose frame is built exactly like the
 * inline view's, with `view.mode` 'modal' and the request's params, as tall as its content up to the window.
 * Escape, the close button and the modal's own `requestClose` close it (an MCP Apps view gets its
 * `ui/resource-teardown` first); focus goes into it, Tab stays in it, and focus goes back where it was.
 */
export function WidgetModal({ request, tool, callId, args, settings, onClose: closed }: Props) {
  const frameRef = useRef<HTMLIFrameElement>(null)
  const closeRef = useRef<HTMLButtonElement>(null)
  const viewRef = useRef<PreviewView | null>(null)
  const closing = useRef(false)
  const titleId = useId()
  const [height, setHeight] = useState(160)
  const theme = useWorkbench((s) => s.previewTheme)

  const onClose = useCallback((): void => {
    if (closing.current) return
    closing.current = true
    const view = viewRef.current
    void (view ? view.teardown(500).catch(() => undefined) : Promise.resolve()).then(closed)
  }, [closed])

  useEffect(() => {
    // The app behind the dialog (the dialog is portalled out of it) is inert: no focus, clicks or reading.
    const app = document.getElementById('root')
    const before = document.activeElement as HTMLElement | null
    app?.setAttribute('inert', '')
    closeRef.current?.focus()
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') onClose()
    }
    document.addEventListener('keydown', onKey)
    return () => {
      document.removeEventListener('keydown', onKey)
      app?.removeAttribute('inert')
      before?.focus()
    }
  }, [onClose])

  useEffect(() => {
    let torn = false
    const onMessage = (event: MessageEvent): void => {
      const frame = frameRef.current
      if (!frame || event.source !== frame.contentWindow) return
      const data = event.data as { source?: string; type?: string } | null
      if (data?.source !== 'workbench-frame' || data.type !== 'ready' || viewRef.current) return
      const services = viewServices({
        identity: () => request.identity,
        callId,
        resize: (h) => setHeight(Math.max(40, Math.ceil(h))),
        requestModal: () => Promise.reject(new Error('A modal cannot open another modal')),
      })
      void startPreviewView({
        frame,
        resource: request.resource,
        tool,
        callId,
        args: args ?? {},
        modal: { params: request.params },
        settings: () => settings(frameRef.current),
        setDisplayMode: (mode) => useWorkbench.getState().setPreviewDisplayMode(mode),
        close: onClose,
        mcp: services.mcp,
        openai: { ...services.openai, painted: () => undefined, escape: onClose },
      }).then(
        (view) => {
          if (torn) return void view.teardown()
          viewRef.current = view
          request.opened()
        },
        (err: unknown) =>
          recordHostMessage({
            kind: 'host error',
            text: `modal: ${err instanceof Error ? err.message : String(err)}`,
          }),
      )
    }
    window.addEventListener('message', onMessage)
    return () => {
      torn = true
      window.removeEventListener('message', onMessage)
      void viewRef.current?.teardown()
      viewRef.current = null
    }
  }, [request, tool, callId, args, settings, onClose])

  return createPortal(
    <div className={`widget-modal-backdrop stage-theme-${theme}`}>
      <div className="widget-modal" role="dialog" aria-modal="true" aria-labelledby={titleId}>
        {/* Focus guards: Tab past either end (from the page or out of the frame) wraps around. */}
        <span tabIndex={0} className="focus-guard" onFocus={() => frameRef.current?.focus()} />
        <div className="stage-bar">
          <span className="small">
            <strong id={titleId}>Modal of {tool.name}</strong>{' '}
            <span className="muted">· {request.resource.uri}</span>
          </span>
          <button ref={closeRef} type="button" className="button button-small" onClick={onClose}>
            Close
          </button>
        </div>
        <iframe
          ref={frameRef}
          title={`Modal ${request.resource.uri}`}
          className="widget-frame widget-modal-frame"
          sandbox="allow-scripts"
          allow={allowAttribute(request.resource.permissions)}
          src="widget-frame.html"
          style={{ height }}
        />
        <span tabIndex={0} className="focus-guard" onFocus={() => closeRef.current?.focus()} />
      </div>
    </div>,
    document.body,
  )
}
