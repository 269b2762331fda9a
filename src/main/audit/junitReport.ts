import type { AuditCheck, AuditGroup, AuditReport } from '../../shared/audit'

const GROUP_NAMES: Record<AuditGroup, string> = {
  discovery: 'Discovery',
  authServer: 'Authorization server',
  tools: 'Tools',
  tokens: 'Token handling',
  transport: 'Transport and safety',
}

function escapeXml(text: string): string {
  return (
    text
      // XML 1.0 has no representation for these control characters, escaped or not.
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
  )
}

function caseXml(check: AuditCheck): string {
  const name = escapeXml(check.tool ? `${check.title} [${check.tool}]` : check.title)
  const open = `    <testcase classname="mcp-audit.${check.group}" name="${name}">`
  const detail = escapeXml(
    [
      check.summary,
      check.fix ? `Fix: ${check.fix}` : '',
      check.chatgpt ? `ChatGPT: ${check.chatgpt}` : '',
    ]
      .filter(Boolean)
      .join('\n'),
  )
  switch (check.status) {
    case 'fail':
      return (
        `${open}\n      <failure message="${escapeXml(check.summary)}" ` +
        `type="${escapeXml(check.id)}">${detail}</failure>\n    </testcase>`
      )
    case 'skip':
      return `${open}\n      <skipped message="${escapeXml(check.summary)}"/>\n    </testcase>`
    case 'warn':
      return `${open}\n      <system-out>WARN ${detail}</system-out>\n    </testcase>`
    default:
      return `${open}\n      <system-out>${detail}</system-out>\n    </testcase>`
  }
}

/**
 * JUnit XML: one test suite per check group, a failure per failed check, warnings in system-out.
 */
export function junitReport(report: AuditReport): string {
  const groups = [...new Set(report.checks.map((c) => c.group))]
  const suites = groups.map((group) => {
    const checks = report.checks.filter((c) => c.group === group)
    const count = (s: AuditCheck['status']) => checks.filter((c) => c.status === s).length
    const attrs =
      `name="${escapeXml(`${GROUP_NAMES[group]} (${report.target})`)}" ` +
      `tests="${checks.length}" failures="${count('fail')}" errors="0" ` +
      `skipped="${count('skip')}" timestamp="${escapeXml(report.startedAt)}"`
    return `  <testsuite ${attrs}>\n${checks.map(caseXml).join('\n')}\n  </testsuite>`
  })
  const total = report.checks.length
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="MCP auth audit" ` +
    `tests="${total}" failures="${report.counts.fail}" errors="0" ` +
    `skipped="${report.counts.skip}">\n${suites.join('\n')}\n</testsuites>\n`
  )
}
