import { Card } from '../components/Field'
import { Badge } from '../components/VerdictBadge'
import { compatibilityReport } from '../preview/compatibilityReport'
import { connectForWidget, dismissWidgetChallenge, signInWidgetAs } from '../preview/previewActions'
import { useWorkbench } from '../store/useWorkbench'
import { ConnectStep } from './ConnectStep'

export function WidgetChallenge() {
  const challenge = useWorkbench((s) => s.widgetChallenge)
  if (!challenge) return null
  return (
    <div className="widget-challenge" role="region" aria-label="Widget sign-in">
      <ConnectStep
        result={challenge.result}
        onConnect={(scope, extra) => void connectForWidget(scope, extra)}
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

export function Compatibility() {
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

export function WidgetLog() {
  const hostMessages = useWorkbench((s) => s.hostMessages)
  const notices = useWorkbench((s) => s.previewNotices)
  if (hostMessages.length === 0 && !notices.openInAppUrl && !notices.modelContext) return null
  return (
    <Card title={`Widget log (${hostMessages.length})`}>
      {notices.openInAppUrl && (
        <p className="small">
          Open in app: <span className="mono">{notices.openInAppUrl}</span>
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
