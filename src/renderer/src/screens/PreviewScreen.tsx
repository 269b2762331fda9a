import { IdentityPicker, isIdentityReady } from '../components/IdentityPicker'
import { Card, Field } from '../components/Field'
import { JsonBlock } from '../components/JsonBlock'
import { Segmented } from '../components/Segmented'
import { Badge } from '../components/VerdictBadge'
import { callPreview, isSignInChallenge } from '../store/actions'
import { useWorkbench } from '../store/useWorkbench'
import type { PreviewDisplayMode } from '../store/types'
import { ConnectStep } from './ConnectStep'
import { SchemaForm } from './SchemaForm'
import { ScreenHeader } from './ScreenHeader'
import { WidgetFrame } from './WidgetFrame'

const LOCALES = ['en-US', 'fr-FR', 'de-DE', 'ja-JP', 'es-ES']
const EMPTY: Record<string, unknown> = {}

function Controls() {
  const widgets = useWorkbench((s) => s.app!.widgets)
  const widgetId = useWorkbench((s) => s.previewWidgetId)
  const input = useWorkbench((s) => (s.previewWidgetId ? s.previewInputs[s.previewWidgetId] : undefined) ?? EMPTY)
  const identity = useWorkbench((s) => s.previewIdentity)
  const busy = useWorkbench((s) => s.previewBusy)
  const { setPreviewWidget, setPreviewInput, setPreviewIdentity } = useWorkbench.getState()
  const widget = widgets.find((w) => w.id === widgetId) ?? null
  const callReason = !widget ? 'Choose a widget' : !isIdentityReady(identity) ? 'Paste a token first' : null
  return (
    <Card title="Call a widget" className="preview-controls">
      <Field label="Widget">
        <select value={widgetId ?? ''} onChange={(e) => setPreviewWidget(e.target.value)}>
          {widgets.map((w) => <option key={w.id} value={w.id}>{w.title} ({w.id}) · {w.effectiveMode}</option>)}
        </select>
      </Field>
      {widget && <SchemaForm key={widget.id} schema={widget.inputSchema} value={input} onChange={(v) => setPreviewInput(widget.id, v)} />}
      <IdentityPicker value={identity} onChange={setPreviewIdentity} label="Call as" />
      <button
        type="button"
        className="button button-primary button-wide"
        disabled={callReason !== null || busy}
        title={callReason ?? 'Call through the real server (it appears in Requests)'}
        onClick={() => void callPreview()}
      >
        {busy ? 'Calling…' : 'Call widget'}
      </button>
      {callReason && <p className="unavailable">⊘ {callReason}</p>}
    </Card>
  )
}

function HostSwitches() {
  const theme = useWorkbench((s) => s.previewTheme)
  const displayMode = useWorkbench((s) => s.previewDisplayMode)
  const locale = useWorkbench((s) => s.previewLocale)
  const { setPreviewTheme, setPreviewDisplayMode, setPreviewLocale } = useWorkbench.getState()
  return (
    <div className="host-switches">
      <Segmented label="Widget theme" value={theme} onChange={setPreviewTheme} options={[{ value: 'light', label: 'Light' }, { value: 'dark', label: 'Dark' }]} />
      <Segmented<PreviewDisplayMode> label="Display mode" value={displayMode} onChange={setPreviewDisplayMode} options={[{ value: 'inline', label: 'Inline' }, { value: 'pip', label: 'PiP' }, { value: 'fullscreen', label: 'Fullscreen' }]} />
      <select aria-label="Locale" value={locale} onChange={(e) => setPreviewLocale(e.target.value)}>
        {LOCALES.map((l) => <option key={l} value={l}>{l}</option>)}
      </select>
    </div>
  )
}

function ResultArea() {
  const result = useWorkbench((s) => s.previewResult)
  const hostMessages = useWorkbench((s) => s.hostMessages)
  const setScreen = useWorkbench((s) => s.setScreen)
  const selectEvent = useWorkbench((s) => s.selectEvent)
  if (!result) return <div className="empty-state">Call the widget to render it here, exactly as ChatGPT would.</div>
  const challenged = isSignInChallenge(result)
  return (
    <div className="result-area">
      <div className="result-meta">
        <span>As <strong>{result.identityLabel}</strong></span>
        {result.httpError ? <Badge tone="bad">HTTP {result.httpError.status}</Badge> : result.result.isError ? <Badge tone="warn">tool error</Badge> : <Badge tone="ok">ok</Badge>}
        {result.eventId !== null && (
          <button type="button" className="button button-small button-ghost" onClick={() => { selectEvent(result.eventId); setScreen('requests') }}>
            Show in Requests
          </button>
        )}
      </div>
      {challenged ? <ConnectStep result={result} /> : result.result.isError ? <JsonBlock label="Tool error" value={result.result.content} /> : <WidgetFrame />}
      {hostMessages.length > 0 && (
        <Card title="Widget → host">
          <ul className="host-messages mono small">
            {hostMessages.map((m, i) => <li key={i}><span className="muted">{m.kind}</span> {m.text}</li>)}
          </ul>
        </Card>
      )}
      <details className="raw-result">
        <summary>Raw result</summary>
        <JsonBlock value={result.httpError ?? result.result} />
      </details>
    </div>
  )
}

export function PreviewScreen() {
  return (
    <div className="screen">
      <ScreenHeader title="Preview" subtitle="Render a widget in a sandboxed frame with window.openai and MCP Apps, calling the live server." actions={<HostSwitches />} />
      <div className="preview-layout">
        <Controls />
        <ResultArea />
      </div>
    </div>
  )
}
