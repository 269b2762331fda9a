import type { UpstreamLegEvent } from '../../../shared/gateway'
import { Badge } from './VerdictBadge'

/** Gateway mode: the second leg of a request, from the Workbench to the developer's own server. */
export function UpstreamLegSection({ leg }: { leg: UpstreamLegEvent }) {
  const tone = leg.error ? 'bad' : leg.upstreamError ? 'warn' : 'ok'
  const outcome = leg.error ? 'failed' : leg.upstreamError ? 'answered with an error' : 'answered'
  return (
    <section className="detail-section" aria-label="Upstream leg">
      <h3>
        Upstream <Badge tone={tone}>{outcome}</Badge>
      </h3>
      <p className="small">
        <code>{leg.target}</code> · {leg.status === null ? 'stdio' : `HTTP ${leg.status}`} ·{' '}
        {leg.latencyMs.toFixed(1)} ms
      </p>
      <p className="muted small">
        {leg.identityForwarded
          ? 'Forwarded with a signed Workbench identity (X-Workbench-Identity and _meta); the token stayed here.'
          : 'Forwarded anonymously: no identity, no token.'}
      </p>
      {leg.error && <p className="text-bad small">{leg.error}</p>}
      {leg.upstreamError && <p className="small">Upstream said: {leg.upstreamError}</p>}
    </section>
  )
}
