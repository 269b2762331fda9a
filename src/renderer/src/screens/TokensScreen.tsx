import type { TokenInspection, TokenProblem } from '../../../shared/tokenInspection'
import { Card } from '../components/Field'
import { CopyButton } from '../components/CopyButton'
import { TableHead } from '../components/TableHead'
import { Badge } from '../components/VerdictBadge'
import { formatCountdown } from '../format'
import { inspectToken } from '../store/actions'
import { formatEpoch } from '../store/judgeTokenClaims'
import { useWorkbench } from '../store/useWorkbench'
import { ForgePanel } from './ForgePanel'
import { ScreenHeader } from './ScreenHeader'
import { useNowSeconds } from './useNow'

const TIME_CLAIMS = new Set(['exp', 'nbf', 'iat', 'auth_time', 'updated_at'])

function ClaimsTable({ title, values }: { title: string; values: Record<string, unknown> }) {
  return (
    <div>
      <h3>{title}</h3>
      <table className="claims">
        <tbody>
          {Object.entries(values).map(([k, v]) => (
            <tr key={k}>
              <td className="mono">{k}</td>
              <td className="mono claim-value">
                {typeof v === 'string' ? v : JSON.stringify(v)}
                {TIME_CLAIMS.has(k) && typeof v === 'number' && (
                  <span className="muted small"> ({formatEpoch(v)})</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

function Countdown({ expiresAt }: { expiresAt: number | null }) {
  const now = useNowSeconds(expiresAt !== null)
  if (expiresAt === null) return <Badge tone="bad">no exp claim</Badge>
  const left = expiresAt - now
  return (
    <Badge tone={left < 0 ? 'bad' : left < 300 ? 'warn' : 'ok'}>
      <span className="mono">{formatCountdown(left)}</span>
    </Badge>
  )
}

function ProblemView({ problem }: { problem: TokenProblem }) {
  return (
    <div className="verdict-banner bad token-problem" role="alert">
      <strong>{problem.title}</strong>
      <p>{problem.explanation}</p>
      {problem.fix && (
        <p className="fix">
          <strong>How to fix:</strong> {problem.fix}
        </p>
      )}
    </div>
  )
}

function InspectionView({ inspection }: { inspection: TokenInspection }) {
  if (inspection.problem) return <ProblemView problem={inspection.problem} />
  if (inspection.decodeError) {
    return (
      <p className="inline-error" role="alert">
        Not a JWT: {inspection.decodeError}
      </p>
    )
  }
  const { verdict } = inspection
  const headline = verdict.headline ?? verdict.description ?? 'invalid'
  // The server's own words, when the headline names a different cause than its first failed check.
  const serverSays =
    !verdict.ok && verdict.description && verdict.description !== headline
      ? verdict.description
      : null
  return (
    <>
      <div className={`verdict-banner ${verdict.ok ? 'ok' : 'bad'}`} role="status">
        <strong>
          {verdict.ok
            ? 'The server would accept this token'
            : `The server would refuse it: ${headline}`}
        </strong>
        {serverSays && <span className="small">Server answer: {serverSays}</span>}
        {verdict.reason && <span className="muted small mono">{verdict.reason}</span>}
        <span className="spacer" />
        <Countdown expiresAt={inspection.expiresAt} />
        {inspection.fingerprint && (
          <span className="muted small mono">sha256:{inspection.fingerprint}</span>
        )}
      </div>
      <div className="grid-2">
        <Card title="Checks">
          <ul className="checks">
            {inspection.checks.map((c) => (
              <li key={c.check} className={`check-${c.outcome}`}>
                <span className="check-icon" aria-hidden="true">
                  {c.outcome === 'pass' ? '✓' : c.outcome === 'fail' ? '✗' : '–'}
                </span>
                <span className="mono check-name">{c.check}</span>
                <span className="check-outcome">{c.outcome}</span>
                <span className="check-detail">{c.detail}</span>
              </li>
            ))}
          </ul>
        </Card>
        <Card title="Widgets this token may call">
          <table className="matrix">
            <TableHead columns={['Widget', 'Mode', 'Result', 'Why']} />
            <tbody>
              {inspection.widgets.map((w) => (
                <tr key={w.id}>
                  <td className="mono">{w.id}</td>
                  <td>{w.mode}</td>
                  <td>
                    {w.allowed ? (
                      <span className="pass">✓ allowed</span>
                    ) : (
                      <span className="fail-text">✗ refused</span>
                    )}
                  </td>
                  <td className="small">{w.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {inspection.scopes.length > 0 && (
            <p className="small muted">
              Scopes: <span className="mono">{inspection.scopes.join(' ')}</span>
            </p>
          )}
        </Card>
        {inspection.header && (
          <Card>
            <ClaimsTable title="Header" values={inspection.header} />
          </Card>
        )}
        {inspection.claims && (
          <Card>
            <ClaimsTable title="Claims" values={inspection.claims} />
          </Card>
        )}
      </div>
    </>
  )
}

export function TokensScreen() {
  const text = useWorkbench((s) => s.tokenText)
  const inspection = useWorkbench((s) => s.inspection)
  const inspecting = useWorkbench((s) => s.inspecting)
  return (
    <div className="screen">
      <ScreenHeader
        title="Tokens"
        subtitle="Paste a JWT to see what the server would decide, check by check. Tokens stay in this window; the log keeps only fingerprints."
      />
      <div className="grid-2 grid-stretch">
        <Card
          title="Inspect"
          className="inspect-card"
          actions={
            <>
              {inspecting && <span className="muted small">checking…</span>}
              <CopyButton text={text || null} disabledReason="Nothing pasted" />
              <button
                type="button"
                className="button button-small button-ghost"
                disabled={!text}
                onClick={() => void inspectToken('')}
              >
                Clear
              </button>
            </>
          }
        >
          <textarea
            className="mono token-input"
            aria-label="JWT to inspect"
            placeholder="Paste an access token (eyJ…)"
            spellCheck={false}
            rows={7}
            value={text}
            onChange={(e) => void inspectToken(e.target.value)}
          />
        </Card>
        <ForgePanel />
      </div>
      {inspection && <InspectionView inspection={inspection} />}
    </div>
  )
}
