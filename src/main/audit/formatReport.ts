import type { AuditReport, AuditStatus } from '../../shared/audit'

const MARK: Record<AuditStatus, string> = { pass: 'PASS', warn: 'WARN', fail: 'FAIL', skip: 'SKIP' }

const seconds = (r: AuditReport) =>
  ((Date.parse(r.finishedAt) - Date.parse(r.startedAt)) / 1000).toFixed(1)

/**
 * The report as plain text for a terminal: one line per check, its fix under it, verdicts and the
 * comparison last.
 */
export function formatReport(report: AuditReport): string {
  const lines = [
    `MCP auth audit of ${report.target} ` +
      `(${report.identity === 'none' ? 'anonymous' : report.identity})`,
    '',
  ]
  for (const check of report.checks) {
    lines.push(
      `${MARK[check.status]}  ${check.title}${check.tool ? ` [${check.tool}]` : ''}: ` +
        `${check.summary}`,
    )
    if (check.fix && (check.status === 'fail' || check.status === 'warn'))
      lines.push(`      fix: ${check.fix}`)
  }
  lines.push('')
  for (const verdict of report.verdicts) lines.push(verdict.summary)
  const { pass, warn, fail, skip } = report.counts
  lines.push(
    '',
    `${pass} passed, ${warn} warned, ${fail} failed, ${skip} ` +
      `skipped${report.allPublic ? ' (all tools public)' : ''}.`,
    `${report.requests} requests in ${seconds(report)} s.`,
  )
  if (report.comparison)
    lines.push(
      `Since the last audit (${report.comparison.previousAt}): fixed ` +
        `${report.comparison.fixed.length}, new ${report.comparison.new.length}.`,
    )
  return `${lines.join('\n')}\n`
}
