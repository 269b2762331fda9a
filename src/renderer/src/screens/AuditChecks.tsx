import type { AuditCheck, AuditExchange, AuditReport, AuditStatus } from '../../../shared/audit'
import { Card } from '../components/Field'
import { CopyButton } from '../components/CopyButton'
import { Badge } from '../components/VerdictBadge'

const TONE: Record<AuditStatus, 'ok' | 'warn' | 'bad' | 'neutral'> = {
  pass: 'ok',
  warn: 'warn',
  fail: 'bad',
  skip: 'neutral',
}

function exchangeText(e: AuditExchange): string {
  const head = (h: Record<string, string>) =>
    Object.entries(h)
      .map(([k, v]) => `${k}: ${v}`)
      .join('\n')
  const body = (text: string | null) => (text ? `\n\n${text}` : '')
  const line = `${e.request.method} ${e.request.url}`
  const request = `${line}\n${head(e.request.headers)}${body(e.request.body)}`
  const response = e.response
    ? `HTTP ${e.response.status}\n${head(e.response.headers)}${body(e.response.body)}`
    : `(no response: ${e.error ?? 'unknown'})`
  return `${request}\n\n--- ${e.ms} ms ---\n\n${response}`
}

/** Session plumbing around the exchange that matters: initialize, initialized, GET, DELETE. */
function isSetUp(e: AuditExchange): boolean {
  const body = e.request.body ?? ''
  if (e.request.method === 'DELETE' || e.request.method === 'GET')
    return !e.request.url.includes('/.well-known/')
  if (body.includes('"method":"notifications/initialized"')) return true
  return body.includes('"method":"initialize"') && (e.response?.status ?? 0) < 400
}

type Numbered = { e: AuditExchange; n: number }
const numbered = (list: AuditExchange[]): Numbered[] => list.map((e, i) => ({ e, n: i + 1 }))
const keyExchanges = (list: AuditExchange[]) => {
  const key = numbered(list).filter(({ e }) => !isSetUp(e))
  return key.length ? key : numbered(list)
}
const setUp = (list: AuditExchange[]) =>
  numbered(list).filter(({ e }) => isSetUp(e) && numbered(list).some((x) => !isSetUp(x.e)))

function Exchange({ e, n }: Numbered) {
  return (
    <div className="audit-exchange">
      <div className="detail-head">
        <span className="small">
          Exchange {n}: {e.request.method} {e.request.url} →{' '}
          {e.response ? `HTTP ${e.response.status}` : e.error}
        </span>
        <CopyButton text={exchangeText(e)} label="Copy exchange" />
      </div>
      <pre className="json-block">{exchangeText(e)}</pre>
    </div>
  )
}

export function CheckRow({ check, showTool = true }: { check: AuditCheck; showTool?: boolean }) {
  return (
    <li className={`audit-check audit-${check.status}`}>
      <details>
        <summary>
          <Badge tone={TONE[check.status]}>{check.status}</Badge>
          <span className="audit-title">
            {check.title}
            {showTool && check.tool && <code className="audit-tool">{check.tool}</code>}
          </span>
          <span className="audit-summary muted">{check.summary}</span>
        </summary>
        <div className="audit-detail">
          {check.fix && (
            <p className="audit-fix">
              <strong>Fix:</strong> {check.fix} <CopyButton text={check.fix} label="Copy fix" />
            </p>
          )}
          {check.chatgpt && (
            <p>
              <strong>ChatGPT:</strong> {check.chatgpt}
            </p>
          )}
          {check.evidence.length === 0 && (
            <p className="muted small">No request was needed for this check.</p>
          )}
          {keyExchanges(check.evidence).map(({ e, n }) => (
            <Exchange key={n} e={e} n={n} />
          ))}
          {setUp(check.evidence).length > 0 && (
            <details className="audit-setup">
              <summary className="small muted">
                Connection set-up and tear-down ({setUp(check.evidence).length} exchanges)
              </summary>
              {setUp(check.evidence).map(({ e, n }) => (
                <Exchange key={n} e={e} n={n} />
              ))}
            </details>
          )}
        </div>
      </details>
    </li>
  )
}

export function Comparison({ report }: { report: AuditReport }) {
  const c = report.comparison
  if (!c)
    return (
      <p className="muted small">First audit of this server: the next run is compared with it.</p>
    )
  return (
    <div className="audit-note" role="note" aria-label="Comparison with the last audit">
      <strong>
        Fixed since last audit: {c.fixed.length}, new: {c.new.length}
      </strong>
      <span className="muted small"> (last run {new Date(c.previousAt).toLocaleString()})</span>
      {c.fixed.length > 0 && <p className="small">Fixed: {c.fixed.join(', ')}</p>}
      {c.new.length > 0 && <p className="small">New: {c.new.join(', ')}</p>}
    </div>
  )
}

const RANK: Record<AuditStatus, number> = { fail: 3, warn: 2, pass: 1, skip: 0 }

/**
 * Per-tool checks under one heading per tool, with the tool's worst status and what it declares.
 */
export function ToolsCard({
  title,
  checks,
  report,
}: {
  title: string
  checks: AuditCheck[]
  report: AuditReport | null
}) {
  const names = [...new Set(checks.map((c) => c.tool ?? ''))]
  return (
    <Card title={title}>
      {names.map((name) => {
        const own = checks.filter((c) => (c.tool ?? '') === name)
        const worst = own.reduce<AuditStatus>(
          (w, c) => (RANK[c.status] > RANK[w] ? c.status : w),
          'skip',
        )
        const kind = report?.tools.find((t) => t.name === name)?.kind
        return (
          <section key={name} className="audit-tool-block" aria-label={`Tool ${name}`}>
            <h3>
              <code>{name}</code> <Badge tone={TONE[worst]}>{worst}</Badge>
              {kind && <span className="muted small"> {kind}</span>}
            </h3>
            <ul className="audit-checks" aria-label={`Checks of ${name}`}>
              {own.map((c, i) => (
                <CheckRow key={`${c.id}@${i}`} check={c} showTool={false} />
              ))}
            </ul>
          </section>
        )
      })}
    </Card>
  )
}
