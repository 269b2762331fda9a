import { readFile } from 'node:fs/promises'
import {
  advanceMilestones,
  mergeMilestones,
  NO_MILESTONES,
  type Milestones,
} from '../../shared/milestones'
import { writeFileAtomic } from '../config/writeFileAtomic'
import type { RequestLog } from './requestLog'

export interface MilestoneStore {
  get(): Milestones
  /** Stops following the log and waits for the last save. */
  close(): Promise<void>
}

/** The checklist facts, advanced from the request log and saved to `path` so a restart keeps them. */
export async function createMilestoneStore(options: {
  path: string
  log: RequestLog
}): Promise<MilestoneStore> {
  let current = NO_MILESTONES
  try {
    current = mergeMilestones(
      NO_MILESTONES,
      JSON.parse(await readFile(options.path, 'utf8')) as Milestones,
    )
  } catch {
    // No file yet, or an unreadable one: start from nothing.
  }
  let saving: Promise<void> = Promise.resolve()
  const off = options.log.subscribe((event) => {
    const next = advanceMilestones(current, [event])
    if (next === current) return
    current = next
    const snapshot = `${JSON.stringify(next)}\n`
    saving = saving.then(() => writeFileAtomic(options.path, snapshot)).catch(() => {})
  })
  return {
    get: () => current,
    async close() {
      off()
      await saving
    },
  }
}
