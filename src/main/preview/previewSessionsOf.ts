import type { Workbench } from '../core'
import { createPreviewSessionPool, type PreviewSessionPool } from './previewSessions'

const pools = new WeakMap<Workbench, PreviewSessionPool>()

/** The workbench's Preview sessions; they are closed when its server stops listening. */
export function previewSessionsOf(workbench: Workbench): PreviewSessionPool {
  let pool = pools.get(workbench)
  if (!pool) {
    const created = createPreviewSessionPool(() => workbench.mcpUrl())
    pools.set(workbench, created)
    const off = workbench.onStatusChange((status) => {
      if (status.listening) return
      off()
      pools.delete(workbench)
      void created.close()
    })
    pool = created
  }
  return pool
}

/** Closes the workbench's Preview sessions now (each with a DELETE). */
export async function closePreviewSessions(workbench: Workbench): Promise<void> {
  const pool = pools.get(workbench)
  pools.delete(workbench)
  await pool?.close()
}
