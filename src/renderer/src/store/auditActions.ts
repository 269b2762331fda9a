import type { AuditProgress } from '../../../shared/audit'
import type { IdentityChoice } from '../../../shared/contract'
import type { AuditIdentityKind } from './auditSlice'
import { useWorkbench } from './useWorkbench'
import { run } from './workbenchApi'

function identityChoice(
  kind: AuditIdentityKind,
  token: string,
  subject: string | null,
): IdentityChoice {
  if (kind === 'token') return { kind: 'token', token, label: 'pasted token' }
  if (kind === 'connect') return { kind: 'connect' }
  if (kind === 'testUser' && subject) return { kind: 'testUser', subject }
  return { kind: 'anonymous' }
}

/** Starts an audit of the URL in the form; its checks stream in through `audit:progress`. */
export async function startAudit(): Promise<void> {
  const s = useWorkbench.getState()
  const subject = s.app?.config.devIssuer.users[0]?.subject ?? null
  useWorkbench.setState({
    auditRunning: true,
    auditChecks: [],
    auditAnnouncements: [],
    auditReport: null,
    auditError: null,
  })
  const started = await run(
    'audit:run',
    [
      {
        url: s.auditUrl.trim(),
        identity: identityChoice(s.auditIdentity, s.auditToken.trim(), subject),
        signIn: s.auditIdentity === 'signIn',
      },
    ],
    { title: 'Could not start the audit' },
  )
  if (started) useWorkbench.setState({ auditRunId: started.runId })
  else useWorkbench.setState({ auditRunning: false })
}

/** Loads the last audit kept for the URL in the form (shown until a new run starts). */
export async function loadLastAudit(url: string): Promise<void> {
  const report = await run('audit:last', [url], { quiet: true })
  if (report && !useWorkbench.getState().auditRunning)
    useWorkbench.setState({ auditReport: report })
}

export function ingestAuditProgress(p: AuditProgress): void {
  const s = useWorkbench.getState()
  if (s.auditRunId !== null && p.runId !== s.auditRunId && p.type !== 'started') return
  switch (p.type) {
    case 'started':
      useWorkbench.setState({ auditRunId: p.runId, auditRunning: true })
      return
    case 'announce':
      useWorkbench.setState({
        auditAnnouncements: [...s.auditAnnouncements, { message: p.message, url: p.url }],
      })
      return
    case 'check':
      useWorkbench.setState({ auditChecks: [...s.auditChecks, p.check] })
      return
    case 'finished':
      useWorkbench.setState({
        auditRunning: false,
        auditReport: p.report,
        auditChecks: p.report.checks,
      })
      return
    case 'failed':
      useWorkbench.setState({ auditRunning: false, auditError: p.message })
  }
}
