import { useMemo, useState } from 'react'
import type { IdentityChoice } from '../../../shared/contract'
import { CopyButton } from '../components/CopyButton'
import { IdentityPicker, isIdentityReady } from '../components/IdentityPicker'
import { JsonBlock } from '../components/JsonBlock'
import { UpstreamLegSection } from '../components/UpstreamLegSection'
import { VerdictBadge } from '../components/VerdictBadge'
import { replayEvent } from '../store/actions'
import { curlCommand } from '../store/curlCommand'
import { explainDecision } from '../store/explainDecision'
import { judgeTokenClaims } from '../store/judgeTokenClaims'
import { selectSelectedEvent } from '../store/logSelectors'
import { useWorkbench } from '../store/useWorkbench'
import { formatClock } from '../format'

function valueText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value)
}

export function RequestDetail() {
  const event = useWorkbench(selectSelectedEvent)
  const app = useWorkbench((s) => s.app)
  const selectEvent = useWorkbench((s) => s.selectEvent)
  const localBase = useWorkbench((s) => s.app && new URL(s.app.status.mcpUrl).origin)
  const publicBase = useWorkbench((s) => s.app?.status.publicUrl ?? null)
  const [identity, setIdentity] = useState<IdentityChoice>({ kind: 'anonymous' })
  const [busy, setBusy] = useState(false)
  const claims = useMemo(() => (event ? judgeTokenClaims(event, app) : []), [event, app])
  if (!event)
    return (
      <aside className="detail">
        <div className="empty-state">That request left the log.</div>
      </aside>
    )
  const replayReason =
    event.rpcMethod !== 'tools/call'
      ? 'Only tools/call requests can be replayed'
      : !isIdentityReady(identity)
        ? 'Paste a token first'
        : null
  return (
    <aside className="detail" aria-label="Request detail">
      <header className="detail-head">
        <div>
          <h2 className="mono">
            {event.rpcMethod ?? `${event.method} ${event.path}`}{' '}
            {event.tool && <span className="muted">· {event.tool}</span>}
          </h2>
          <p className="muted small">
            #{event.id} · {formatClock(event.time)} · HTTP {event.status} ·{' '}
            {event.latencyMs.toFixed(1)} ms{event.viaPublicUrl ? ' · via public URL' : ''}
          </p>
        </div>
        <div className="detail-actions">
          <CopyButton
            text={curlCommand(
              event,
              (event.viaPublicUrl && publicBase) || localBase || 'http://127.0.0.1',
            )}
            label="Copy as curl"
          />
          <button
            type="button"
            className="icon-button"
            aria-label="Close detail"
            onClick={() => selectEvent(null)}
          >
            ×
          </button>
        </div>
      </header>
      <section className="detail-section">
        <h3>
          Auth decision <VerdictBadge verdict={event.verdict} />
        </h3>
        <p>{explainDecision(event, app?.widgets)}</p>
        {event.reasonCode && (
          <p className="muted small mono">
            {event.reasonCode}
            {event.claim ? ` · claim ${event.claim}` : ''}
          </p>
        )}
        {event.errorStack && (
          <details className="small">
            <summary>Handler stack trace</summary>
            <pre className="mono stack-trace">{event.errorStack}</pre>
          </details>
        )}
      </section>
      {event.upstream && <UpstreamLegSection leg={event.upstream} />}
      {event.token && (
        <section className="detail-section">
          <h3>
            Token <span className="muted small mono">sha256:{event.token.fingerprint}</span>
          </h3>
          <table className="claims">
            <tbody>
              {claims.map((c) => (
                <tr key={c.claim} className={c.pass === false ? 'fail' : ''}>
                  <td className="mono">{c.claim}</td>
                  <td>
                    <div className="mono claim-value">{valueText(c.value)}</div>
                    {(c.pass !== null || c.note) && (
                      <div className="claim-note small">
                        {c.pass === true && <span className="pass">✓ pass</span>}
                        {c.pass === false && <span className="fail-text">✗ fail</span>}
                        {c.note && <span className="muted"> {c.note}</span>}
                      </div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <JsonBlock label="Header" value={event.token.header} />
        </section>
      )}
      <section className="detail-section">
        <h3>Replay as another identity</h3>
        <div className="replay">
          <IdentityPicker value={identity} onChange={setIdentity} label="Replay as" />
          <button
            type="button"
            className="button button-primary"
            disabled={replayReason !== null || busy}
            title={replayReason ?? undefined}
            onClick={() => {
              setBusy(true)
              void replayEvent(event.id, identity).finally(() => setBusy(false))
            }}
          >
            {busy ? 'Replaying…' : 'Replay'}
          </button>
        </div>
        {replayReason && <p className="unavailable">⊘ {replayReason}</p>}
      </section>
      <section className="detail-section">
        <h3>Request headers</h3>
        {event.requestHeaders.authorization !== undefined && (
          <p className="muted small">
            Copy as curl sends the token as <code>$TOKEN</code> (the log keeps no raw token): set
            TOKEN in your shell first.
          </p>
        )}
        <table className="headers">
          <tbody>
            {Object.entries(event.requestHeaders).map(([k, v]) => (
              <tr key={k}>
                <td className="mono">{k}</td>
                <td className="mono">{v}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {event.notes?.map((note) => (
        <p key={note} className="muted small" role="note">
          Log note: {note}
        </p>
      ))}
      <JsonBlock label="Request" value={event.requestBody} maxHeight={320} />
      <JsonBlock label="Response" value={event.responseBody} maxHeight={420} />
    </aside>
  )
}
