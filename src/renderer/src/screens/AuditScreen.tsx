import { useEffect } from 'react'
import type { AuditGroup } from '../../../shared/audit'
import { Card } from '../components/Field'
import { CopyButton } from '../components/CopyButton'
import { loadLastAudit, startAudit } from '../store/auditActions'
import type { AuditIdentityKind } from '../store/auditSlice'
import { useWorkbench } from '../store/useWorkbench'
import { CheckRow, Comparison, ToolsCard } from './AuditChecks'
import { ScreenHeader } from './ScreenHeader'

const GROUPS: { id: AuditGroup; title: string }[] = [
  { id: 'discovery', title: 'Discovery' },
  { id: 'authServer', title: 'Authorization server' },
  { id: 'tools', title: 'Per tool' },
  { id: 'tokens', title: 'Token handling' },
  { id: 'transport', title: 'Transport and safety' },
]
export function AuditScreen() {
  const status = useWorkbench((s) => s.app!.status)
  const {
    auditUrl,
    auditIdentity,
    auditToken,
    auditRunning,
    auditChecks,
    auditAnnouncements,
    auditReport,
    auditError,
  } = useWorkbench()
  const { setAuditUrl, setAuditIdentity, setAuditToken } = useWorkbench()
  const ownUrl = status.connectorUrl ?? status.mcpUrl
  useEffect(() => {
    if (!useWorkbench.getState().auditUrl) setAuditUrl(ownUrl)
  }, [ownUrl, setAuditUrl])
  useEffect(() => {
    if (/^https?:\/\/\S+$/.test(auditUrl)) void loadLastAudit(auditUrl.trim())
  }, [auditUrl])
  const checks = auditRunning
    ? auditChecks
    : auditReport?.target === auditUrl.trim()
      ? auditReport.checks
      : auditChecks
  const report = !auditRunning && auditReport?.target === auditUrl.trim() ? auditReport : null
  const urlOk = /^https?:\/\/\S+$/.test(auditUrl.trim())
  const tokenMissing = auditIdentity === 'token' && auditToken.trim() === ''
  const runReason = auditRunning
    ? 'An audit is running'
    : !urlOk
      ? 'Enter an http(s) MCP URL'
      : tokenMissing
        ? 'Paste a token first'
        : null
  return (
    <div className="screen">
      <ScreenHeader
        title="Audit"
        subtitle="Will ChatGPT's sign-in work with this server? Checked from outside, tool by tool."
      />
      <Card title="Server">
        <form
          className="audit-form"
          onSubmit={(e) => {
            e.preventDefault()
            if (!runReason) void startAudit()
          }}
        >
          <label className="field">
            <span className="field-label">MCP URL</span>
            <input
              type="url"
              aria-label="MCP URL"
              value={auditUrl}
              spellCheck={false}
              onChange={(e) => setAuditUrl(e.target.value)}
              placeholder="https://example.com/mcp"
            />
          </label>
          <label className="field">
            <span className="field-label">Identity</span>
            <select
              aria-label="Identity"
              value={auditIdentity}
              onChange={(e) => setAuditIdentity(e.target.value as AuditIdentityKind)}
            >
              <option value="anonymous">No token (anonymous checks only)</option>
              <option value="token">A token I paste</option>
              <option value="connect">The Connect identity</option>
              <option value="testUser">A development issuer test user</option>
              <option value="signIn">
                Sign in through the server&apos;s own authorization server
              </option>
            </select>
          </label>
          {auditIdentity === 'token' && (
            <label className="field">
              <span className="field-label">Access token (kept in memory, never saved)</span>
              <input
                type="password"
                autoComplete="off"
                spellCheck={false}
                aria-label="Access token"
                value={auditToken}
                onChange={(e) => setAuditToken(e.target.value)}
              />
            </label>
          )}
          <div className="row-actions">
            <button
              type="submit"
              className="button button-primary"
              disabled={runReason !== null}
              title={runReason ?? undefined}
            >
              {auditRunning ? 'Auditing…' : 'Run audit'}
            </button>
            {urlOk && auditUrl.trim() !== ownUrl && (
              <button
                type="button"
                className="button button-ghost"
                onClick={() => setAuditUrl(ownUrl)}
              >
                Use this Workbench
              </button>
            )}
            {report && (
              <CopyButton text={JSON.stringify(report, null, 2)} label="Copy JSON report" />
            )}
          </div>
          <p className="muted small">
            A fixed, small number of requests per check, 10 s timeout each. The token checks send
            three made-up tokens; they are announced before they run.
          </p>
        </form>
      </Card>
      {auditError && (
        <div className="audit-note audit-note-bad" role="alert">
          The audit stopped: {auditError}
        </div>
      )}
      {auditAnnouncements.map((a, i) => (
        <div key={i} className="audit-note audit-note-warn" role="status">
          {a.message}{' '}
          {a.url && (
            <a href={a.url} target="_blank" rel="noreferrer">
              Open the sign-in page
            </a>
          )}
        </div>
      ))}
      {auditRunning && (
        <p role="status" aria-live="polite" className="muted">
          Running… {auditChecks.length} check(s) done.
        </p>
      )}
      {report && (
        <Card
          title="Verdict"
          actions={
            <span className="small">
              {`${report.counts.pass} passed · ${report.counts.warn} warned · `}
              {`${report.counts.fail} failed · ${report.counts.skip} skipped`}
            </span>
          }
        >
          <Comparison report={report} />
          <ul className="plain-list">
            {report.verdicts.map((v) => (
              <li key={v.client}>{v.summary}</li>
            ))}
          </ul>
        </Card>
      )}
      {GROUPS.map((g) => {
        const inGroup = checks.filter((c) => c.group === g.id)
        if (inGroup.length === 0) return null
        if (g.id === 'tools')
          return <ToolsCard key={g.id} title={g.title} checks={inGroup} report={report} />
        return (
          <Card key={g.id} title={g.title}>
            <ul className="audit-checks" aria-label={g.title}>
              {inGroup.map((c, i) => (
                <CheckRow key={`${c.id}@${c.tool ?? ''}@${i}`} check={c} />
              ))}
            </ul>
          </Card>
        )
      })}
    </div>
  )
}
