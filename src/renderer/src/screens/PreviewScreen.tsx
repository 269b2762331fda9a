import { IdentityPicker, isIdentityReady } from '../components/IdentityPicker'
import { Card, Field } from '../components/Field'
import { JsonBlock } from '../components/JsonBlock'
import { Segmented } from '../components/Segmented'
import { Badge } from '../components/VerdictBadge'
import { useEffect } from 'react'
import { compatibilityReport } from '../preview/compatibilityReport'
import {
  cancelPreview,
  callPreview,
  connectForWidget,
  dismissWidgetChallenge,
  isSignInChallenge,
  signInWidgetAs,
} from '../preview/previewActions'
import { RawConsole, ResourcesBrowser } from '../preview/PreviewTools'
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
  const widgetErrors = useWorkbench((s) => s.app!.widgetErrors)
  const widgetId = useWorkbench((s) => s.previewWidgetId)
  const input = useWorkbench(
    (s) => (s.previewWidgetId ? s.previewInputs[s.previewWidgetId] : undefined) ?? EMPTY,
  )
  const identity = useWorkbench((s) => s.previewIdentity)
  const busy = useWorkbench((s) => s.previewBusy)
  const { setPreviewWidget, setPreviewInput, setPreviewIdentity } = useWorkbench.getState()
  const widget = widgets.find((w) => w.id === widgetId) ?? null
  // The selection follows the served widgets: a widget that went away gives way to the first one still served.
  useEffect(() => {
    if (widget || widgets.length === 0) return
    setPreviewWidget(widgets[0].id)
  }, [widget, widgets, setPreviewWidget])
  const callReason = !widget
    ? widgets.length === 0
      ? 'No widget is served'
      : 'Choose a widget'
    : !isIdentityReady(identity)
      ? 'Paste a token first'
      : null
  return (
    <Card title="Call a widget" className="preview-controls">
      <Field label="Widget">
        <select value={widget ? widget.id : ''} onChange={(e) => setPreviewWidget(e.target.value)}>
          {!widget && <option value="">{widgets.length ? 'Choose a widget' : 'No widgets'}</option>}
          {widgets.map((w) => (
            <option key={w.id} value={w.id}>
              {w.title} ({w.id}) · {w.effectiveMode}
            </option>
          ))}
        </select>
      </Field>
      {widgetErrors.length > 0 && (
        <ul className="broken-widgets small" aria-label="Broken widgets">
          {widgetErrors.map((e) => (
            <li key={`${e.widget}:${e.file}`} className="inline-error">
              <strong>{e.widget}</strong> is not served: {e.field ? `${e.field}: ` : ''}
              {e.message} <span className="muted mono">({e.file})</span>
            </li>
          ))}
        </ul>
      )}
      {widget && (
        <SchemaForm
          key={widget.id}
          schema={widget.inputSchema}
          value={input}
          onChange={(v) => setPreviewInput(widget.id, v)}
        />
      )}
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
      {busy && (
        <button
          type="button"
          className="button button-wide"
          onClick={cancelPreview}
          title="The view gets ui/notifications/tool-cancelled"
        >
          Cancel
        </button>
      )}
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
      <Segmented
        label="Widget theme"
        value={theme}
        onChange={setPreviewTheme}
        options={[
          { value: 'light', label: 'Light' },
          { value: 'dark', label: 'Dark' },
        ]}
      />
      <Segmented<PreviewDisplayMode>
        label="Display mode"
        value={displayMode}
        onChange={setPreviewDisplayMode}
        options={[
          { value: 'inline', label: 'Inline' },
          { value: 'pip', label: 'PiP' },
          { value: 'fullscreen', label: 'Fullscreen' },
        ]}
      />
      <select aria-label="Locale" value={locale} onChange={(e) => setPreviewLocale(e.target.value)}>
        {LOCALES.map((l) => (
          <option key={l} value={l}>
            {l}
          </option>
        ))}
      </select>
    </div>
  )
}

function WidgetChallenge() {
  const challenge = useWorkbench((s) => s.widgetChallenge)
  if (!challenge) return null
  return (
    <div className="widget-challenge" role="region" aria-label="Widget sign-in">
      <ConnectStep
        result={challenge.result}
        onConnect={(scope) => void connectForWidget(scope)}
        onSignInAs={signInWidgetAs}
      />
      <p className="muted small">
        The widget's own call to <strong>{challenge.tool}</strong> asked for sign-in. ChatGPT shows
        Connect here and retries the call once signed in.{' '}
        <button
          type="button"
          className="button button-small button-ghost"
          onClick={dismissWidgetChallenge}
        >
          Dismiss
        </button>
      </p>
    </div>
  )
}

function Compatibility() {
  const template = useWorkbench((s) => s.previewTemplate)
  const log = useWorkbench((s) => s.hostMessages)
  if (!template) return null
  const report = compatibilityReport(template.tool, template.resource, log)
  return (
    <Card title="Host compatibility" className="compat-report">
      <dl className="compat-needs small">
        <dt>Bridge</dt>
        <dd>{report.bridges.join(' + ') || 'none used yet'}</dd>
        <dt>APIs used</dt>
        <dd className="mono">{report.apis.join(', ') || '—'}</dd>
        <dt>Display modes</dt>
        <dd>{report.displayModes.join(', ') || 'inline only'}</dd>
        <dt>CSP domains</dt>
        <dd className="mono">
          {report.cspDomains.join(', ') ||
            `none declared (${template.resource.cspSource === 'default' ? 'restrictive default' : `read from ${template.resource.cspSource}`})`}
        </dd>
      </dl>
      <ul className="compat-verdicts">
        {report.verdicts.map((v) => (
          <li key={v.host}>
            <Badge tone={v.works ? 'ok' : 'bad'}>{v.works ? 'works' : 'will not work'}</Badge>{' '}
            <strong>{v.host}</strong>
            {v.reasons.length > 0 && (
              <ul className="small">
                {v.reasons.map((r) => (
                  <li key={r}>{r}</li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ul>
    </Card>
  )
}

function WidgetLog() {
  const hostMessages = useWorkbench((s) => s.hostMessages)
  const notices = useWorkbench((s) => s.previewNotices)
  if (hostMessages.length === 0 && !notices.modal && !notices.openInAppUrl && !notices.modelContext)
    return null
  return (
    <Card title={`Widget log (${hostMessages.length})`}>
      {notices.openInAppUrl && (
        <p className="small">
          Open in app: <span className="mono">{notices.openInAppUrl}</span>
        </p>
      )}
      {notices.modal && (
        <p className="small">
          Modal requested: <span className="mono">{notices.modal}</span>
        </p>
      )}
      {notices.modelContext && (
        <p className="small">
          Model context: <span className="mono">{notices.modelContext}</span>
        </p>
      )}
      <ul className="host-messages mono small" aria-label="Widget log">
        {hostMessages.map((m, i) => (
          <li key={i}>
            {m.direction && <span className="muted">{m.direction} </span>}
            <strong>{m.kind}</strong> {m.text}
          </li>
        ))}
      </ul>
    </Card>
  )
}

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
        <Controls />
        <ResultArea />
      </div>
      <div className="preview-tools">
        <ResourcesBrowser />
        <RawConsole />
      </div>
    </div>
  )
}
