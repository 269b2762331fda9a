import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  AuditReportSchema,
  checkKey,
  type AuditComparison,
  type AuditReport,
} from '../../shared/audit'
import { writeFileAtomic } from '../config/writeFileAtomic'
import { redactReport } from './redactEvidence'

/** The last audit of each server, one file per server URL in `<dataDir>/audits/`. */
export interface AuditStore {
  last(target: string): Promise<AuditReport | null>
  save(report: AuditReport): Promise<void>
}

export function auditFileName(target: string): string {
  return `${createHash('sha256').update(target).digest('hex').slice(0, 16)}.json`
}

export function createAuditStore(dataDir: string): AuditStore {
  const dir = join(dataDir, 'audits')
  return {
    async last(target) {
      let text: string
      try {
        text = await readFile(join(dir, auditFileName(target)), 'utf8')
      } catch {
        return null
      }
      try {
        const parsed = AuditReportSchema.safeParse(JSON.parse(text))
        // Redacted again on the way in: a file from before evidence was redacted when recorded.
        return parsed.success && parsed.data.target === target ? redactReport(parsed.data) : null
      } catch {
        return null
      }
    },
    save: (report) =>
      writeFileAtomic(
        join(dir, auditFileName(report.target)),
        `${JSON.stringify(report, null, 2)}\n`,
        { mode: 0o600 },
      ),
  }
}

/**
 * What changed since the previous run: checks that failed or warned and now pass, and new fails or
 * warns.
 */
export function compareRuns(
  previous: AuditReport,
  current: Pick<AuditReport, 'checks'>,
): AuditComparison {
  const bad = (r: Pick<AuditReport, 'checks'>) =>
    new Set(r.checks.filter((c) => c.status === 'fail' || c.status === 'warn').map(checkKey))
  const before = bad(previous)
  const now = bad(current)
  const passing = new Set(current.checks.filter((c) => c.status === 'pass').map(checkKey))
  return {
    previousAt: previous.finishedAt,
    fixed: [...before].filter((k) => passing.has(k)).sort(),
    new: [...now].filter((k) => !before.has(k)).sort(),
  }
}
