import { JsonBlock } from '../components/JsonBlock'
import { Badge } from '../components/VerdictBadge'
import { isSignInChallenge } from '../preview/previewActions'
import { RawConsole, ResourcesBrowser } from '../preview/PreviewTools'
import { useWorkbench } from '../store/useWorkbench'
import { ConnectStep } from './ConnectStep'
import { HostSwitches, PreviewControls } from './PreviewControls'
import { Compatibility, WidgetChallenge, WidgetLog } from './PreviewResultCards'
import { ScreenHeader } from './ScreenHeader'
import { WidgetFrame } from './WidgetFrame'

function ResultArea() {
  const result = useWorkbench((s) => s.previewResult)
  const call = useWorkbench((s) => s.previewCall)
  const template = useWorkbench((s) => s.previewTemplate)
  const setScreen = useWorkbench((s) => s.setScreen)
  const selectEvent = useWorkbench((s) => s.selectEvent)
  if (!call)
    return (
      <div className="empty-state">
        Call the widget to render it here, exactly as ChatGPT would.
      </div>
    )
  const challenged = isSignInChallenge(result)
  const painted =
    call.paintedAt !== null ? Math.max(0, Math.round(call.paintedAt - call.clickedAt)) : null
  return (
    <div className="result-area">
      <div className="result-meta">
        {result && (
          <span>
            As <strong>{result.identityLabel}</strong>
          </span>
        )}
        {call.state === 'loading' || (call.state === 'running' && !result) ? (
          <Badge tone="warn">running</Badge>
        ) : null}
        {call.state === 'cancelled' && <Badge tone="warn">cancelled</Badge>}
        {result &&
          (result.httpError ? (
            <Badge tone="bad">HTTP {result.httpError.status}</Badge>
          ) : result.result.isError ? (
            <Badge tone="warn">tool error</Badge>
          ) : (
            <Badge tone="ok">ok</Badge>
          ))}
        {painted !== null && (
          <span
            className="muted small"
            title="From Call widget to the widget's first contentful paint"
          >
            first paint {painted} ms
          </span>
        )}
        {result && result.eventId !== null && (
          <button
            type="button"
            className="button button-small button-ghost"
            onClick={() => {
              selectEvent(result.eventId)
              setScreen('requests')
            }}
          >
            Show in Requests
          </button>
        )}
      </div>
      {call.error && <p className="inline-error">Could not load the widget's view: {call.error}</p>}
      {result && challenged ? <ConnectStep result={result} /> : template && <WidgetFrame />}
      <WidgetChallenge />
      <WidgetLog />
      <Compatibility />
      {result && (
        <details className="raw-result">
          <summary>Raw result</summary>
          <JsonBlock value={result.httpError ?? result.result} />
        </details>
      )}
    </div>
  )
}

export function PreviewScreen() {
  return (
    <div className="screen">
      <ScreenHeader
        title="Preview"
        subtitle="Render a widget in a sandboxed frame with window.openai and MCP Apps, calling the live server."
        actions={<HostSwitches />}
      />
      <div className="preview-layout">
        <PreviewControls />
        <ResultArea />
      </div>
      <div className="preview-tools">
        <ResourcesBrowser />
        <RawConsole />
      </div>
    </div>
  )
}
