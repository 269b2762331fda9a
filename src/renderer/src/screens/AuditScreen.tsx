import { useEffect } from 'react'
import type { AuditCheck, AuditExchange, AuditGroup, AuditReport, AuditStatus } from '../../../shared/audit'
import { Card } from '../components/Field'
import { CopyButton } from '../components/CopyButton'
import { Badge } from '../components/VerdictBadge'
import { loadLastAudit, startAudit } from '../store/auditActions'
import type { AuditIdentityKind } from '../store/auditSlice'
import { useWorkbench } from '../store/useWorkbench'
import { ScreenHeader } from './ScreenHeader'

const GROUPS: { id: AuditGroup; title: string }[] = [
  { id: 'discovery', title: 'Discovery' },
  { id: 'authServer', title: 'Authorization server' },
  { id: 'tools', title: 'Per tool' },
  { id: 'tokens', title: 'Token handling' },
  { id: 'transport', title: 'Transport and safety' },
]
const TONE: Record<AuditStatus, 'ok' | 'warn' | 'bad' | 'neutral'> = { pass: 'ok', warn: 'warn', fail: 'bad', skip: 'neutral' }

function exchangeText(e: AuditExchange): string {
  const head = (h: Record<string, string>) => Object.entries(h).map(([k, v]) => `${k}: ${v}`).join('\n')
  const request = `${e.request.method} ${e.request.url}\n${head(e.request.headers)}${e.request.body ? `\n\n${e.request.body}` : ''}`
  const response = e.response ? `HTTP ${e.response.status}\n${head(e.response.headers)}${e.response.body ? `\n\n${e.response.body}` : ''}` : `(no response: ${e.error ?? 'unknown'})`
  return `${request}\n\n--- ${e.ms} ms ---\n\n${response}`
}

function CheckRow({ check, showTool = true }: { check: AuditCheck; showTool?: boolean }) {
  return (
    <li className={`audit-check audit-${check.status}`}>
      <details>
        <summary>
          <Badge tone={TONE[check.status]}>{check.status}</Badge>
          <span className="audit-title">{check.title}{showTool && check.tool && <code className="audit-tool">{check.tool}</code>}</span>
          <span className="audit-summary muted">{check.summary}</span>
        </summary>
        <div className="audit-detail">
          {check.fix && (
            <p className="audit-fix"><strong>Fix:</strong> {check.fix} <CopyButton text={check.fix} label="Copy fix" /></p>
          )}
          {check.chatgpt && <p><strong>ChatGPT:</strong> {check.chatgpt}</p>}
          {check.evidence.length === 0 && <p className="muted small">No request was needed for this check.</p>}
          {check.evidence.map((e, i) => (
            <div key={i} className="audit-exchange">
              <div className="detail-head"><span className="small">Exchange {i + 1}: {e.request.method} {e.request.url} → {e.response ? `HTTP ${e.response.status}` : e.error}</span><CopyButton text={exchangeText(e)} label="Copy exchange" /></div>
              <pre className="json-block">{exchangeText(e)}</pre>
            </div>
          ))}
        </div>
      </details>
    </li>
  )
}

function Comparison({ report }: { report: AuditReport }) {
  const c = report.comparison
  if (!c) return <p className="muted small">First audit of this server: the next run is compared with it.</p>
  return (
    <div className="audit-note" role="note" aria-label="Comparison with the last audit">
      <strong>Fixed since last audit: {c.fixed.length}, new: {c.new.length}</strong>
      <span className="muted small"> (last run {new Date(c.previousAt).toLocaleString()})</span>
      {c.fixed.length > 0 && <p className="small">Fixed: {c.fixed.join(', ')}</p>}
      {c.new.length > 0 && <p className="small">New: {c.new.join(', ')}</p>}
    </div>
  )
}

const RANK: Record<AuditStatus, number> = { fail: 3, warn: 2, pass: 1, skip: 0 }

/** Per-tool checks under one heading per tool, with the tool's worst status and what it declares. */
function ToolsCard({ title, checks, report }: { title: string; checks: AuditCheck[]; report: AuditReport | null }) {
  const names = [...new Set(checks.map((c) => c.tool ?? ''))]
  return (
    <Card title={title}>
      {names.map((name) => {
        const own = checks.filter((c) => (c.tool ?? '') === name)
        const worst = own.reduce<AuditStatus>((w, c) => (RANK[c.status] > RANK[w] ? c.status : w), 'skip')
        const kind = report?.tools.find((t) => t.name === name)?.kind
        return (
          <section key={name} className="audit-tool-block" aria-label={`Tool ${name}`}>
            <h3><code>{name}</code> <Badge tone={TONE[worst]}>{worst}</Badge>{kind && <span className="muted small"> {kind}</span>}</h3>
            <ul className="audit-checks" aria-label={`Checks of ${name}`}>{own.map((c, i) => <CheckRow key={`${c.id}@${i}`} check={c} showTool={false} />)}</ul>
          </section>
        )
      })}
    </Card>
  )
}

export function AuditScreen() {
  const status = useWorkbench((s) => s.app!.status)
  const { auditUrl, auditIdentity, auditToken, auditRunning, auditChecks, auditAnnouncements, auditReport, auditError } = useWorkbench()
  const { setAuditUrl, setAuditIdentity, setAuditToken } = useWorkbench()
  const ownUrl = status.connectorUrl ?? status.mcpUrl
  useEffect(() => {
    if (!useWorkbench.getState().auditUrl) setAuditUrl(ownUrl)
  }, [ownUrl, setAuditUrl])
  useEffect(() => {
    if (/^https?:\/\/\S+$/.test(auditUrl)) void loadLastAudit(auditUrl.trim())
  }, [auditUrl])
  const checks = auditRunning ? auditChecks : auditReport?.target === auditUrl.trim() ? auditReport.checks : auditChecks
  const report = !auditRunning && auditReport?.target === auditUrl.trim() ? auditReport : null
  const urlOk = /^https?:\/\/\S+$/.test(auditUrl.trim())
  const tokenMissing = auditIdentity === 'token' && auditToken.trim() === ''
  const runReason = auditRunning ? 'An audit is running' : !urlOk ? 'Enter an http(s) MCP URL' : tokenMissing ? 'Paste a token first' : null
  return (
    <div className="screen">
      <ScreenHeader title="Audit" subtitle="Will ChatGPT's sign-in work with this server? Checks any MCP URL from outside, tool by tool." />
      <Card title="Server">
        <form className="audit-form" onSubmit={(e) => { e.preventDefault(); if (!runReason) void startAudit() }}>
          <label className="field"><span className="field-label">MCP URL</span>
            <input type="url" aria-label="MCP URL" value={auditUrl} spellCheck={false} onChange={(e) => setAuditUrl(e.target.value)} placeholder="https://example.com/mcp" />
          </label>
          <label className="field"><span className="field-label">Identity</span>
            <select aria-label="Identity" value={auditIdentity} onChange={(e) => setAuditIdentity(e.target.value as AuditIdentityKind)}>
              <option value="anonymous">No token (anonymous checks only)</option>
              <option value="token">A token I paste</option>
              <option value="connect">The Connect identity</option>
              <option value="testUser">A development issuer test user</option>
            </select>
          </label>
          {auditIdentity === 'token' && (
            <label className="field"><span className="field-label">Access token (kept in memory, never saved)</span>
              <input type="password" autoComplete="off" spellCheck={false} aria-label="Access token" value={auditToken} onChange={(e) => setAuditToken(e.target.value)} />
            </label>
          )}
          <div className="row-actions">
            <button type="submit" className="button button-primary" disabled={runReason !== null} title={runReason ?? undefined}>{auditRunning ? 'Auditing…' : 'Run audit'}</button>
            {urlOk && auditUrl.trim() !== ownUrl && <button type="button" className="button button-ghost" onClick={() => setAuditUrl(ownUrl)}>Use this Workbench</button>}
            {report && <CopyButton text={JSON.stringify(report, null, 2)} label="Copy JSON report" />}
          </div>
          <p className="muted small">A fixed, small number of requests per check, 10 s timeout each. The token checks send three made-up tokens; they are announced before they run.</p>
        </form>
      </Card>
      {auditError && <div className="audit-note audit-note-bad" role="alert">The audit stopped: {auditError}</div>}
      {auditAnnouncements.map((a, i) => <div key={i} className="audit-note audit-note-warn" role="status">{a}</div>)}
      {auditRunning && <p role="status" aria-live="polite" className="muted">Running… {auditChecks.length} check(s) done.</p>}
      {report && (
        <Card title="Verdict" actions={<span className="small">{report.counts.pass} passed · {report.counts.warn} warned · {report.counts.fail} failed · {report.counts.skip} skipped</span>}>
          <Comparison report={report} />
          <ul className="plain-list">{report.verdicts.map((v) => <li key={v.client}>{v.summary}</li>)}</ul>
        </Card>
      )}
      {GROUPS.map((g) => {
        const inGroup = checks.filter((c) => c.group === g.id)
        if (inGroup.length === 0) return null
        if (g.id === 'tools') return <ToolsCard key={g.id} title={g.title} checks={inGroup} report={report} />
        return (
          <Card key={g.id} title={g.title}>
            <ul className="audit-checks" aria-label={g.title}>{inGroup.map((c, i) => <CheckRow key={`${c.id}@${c.tool ?? ''}@${i}`} check={c} />)}</ul>
          </Card>
        )
      })}
    </div>
  )
}
