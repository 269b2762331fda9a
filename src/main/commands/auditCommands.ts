import type { AuditProgress } from '../../shared/audit'
import type { IdentityChoice } from '../../shared/contract'
import { WorkbenchError } from '../../shared/errors'
import { createAuditStore, runAudit } from '../audit'
import type { ResolvedIdentity } from '../preview/callWidgetAs'
import type { Workbench } from '../core'
import type { CommandHandlers } from './types'

export interface AuditRunner {
  handlers: Pick<CommandHandlers, 'audit:run' | 'audit:last'>
  onProgress(listener: (progress: AuditProgress) => void): () => void
}

export interface AuditRunnerDeps {
  workbench: Workbench
  resolveIdentity(choice: IdentityChoice): Promise<ResolvedIdentity>
}

/** One audit at a time; results kept per server in the Workbench's data folder. */
export function createAuditRunner(deps: AuditRunnerDeps): AuditRunner {
  const listeners = new Set<(p: AuditProgress) => void>()
  const emit = (p: AuditProgress) => {
    for (const l of listeners) l(p)
  }
  const store = () => createAuditStore(deps.workbench.dataDir())
  let runId = 0
  let running = false
  return {
    onProgress(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    handlers: {
      async 'audit:run'({ url, identity }) {
        if (running)
          throw new WorkbenchError('ERR_INTERNAL', 'An audit is running; wait for it to finish.')
        const resolved = await deps.resolveIdentity(identity)
        const dev = deps.workbench.devIssuer()
        const id = ++runId
        running = true
        emit({ runId: id, type: 'started', target: url })
        runAudit({
          target: url,
          token: resolved.token,
          ownIssuer: dev
            ? { signer: dev.signer, issuer: dev.issuer(), audience: deps.workbench.audience() }
            : null,
          store: store(),
          onProgress: (p) => {
            if (p.type !== 'started') emit({ ...p, runId: id } as AuditProgress)
          },
        })
          .then((report) => emit({ runId: id, type: 'finished', report }))
          .catch((err: Error) => emit({ runId: id, type: 'failed', message: err.message }))
          .finally(() => {
            running = false
          })
        return { runId: id }
      },
      'audit:last': (url) => store().last(url),
    },
  }
}
