import type { AuditProgress } from '../../shared/audit'
import type { IdentityChoice } from '../../shared/contract'
import { WorkbenchError } from '../../shared/errors'
import { createAuditStore, runAudit } from '../audit'
import { createConnectClient, type ConnectClient } from '../connect'
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
  /** Opens the sign-in page for the person (system browser); absent: the UI's link only. */
  openUrl?: (url: string) => void | Promise<void>
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
  // A Connect client of its own per run: the Connect screen's identity belongs to this Workbench.
  const signInClient = (id: number, fetchFn: () => typeof fetch): ConnectClient =>
    createConnectClient({
      clientName: 'MCP Auth Workbench (audit)',
      // The sign-in's requests go through the audit's recording fetch (its evidence, redacted).
      fetch: (url, init) => fetchFn()(url, init),
      followRedirects: true,
      browserTimeoutMs: 180_000,
      openUrl: async (page) => {
        const message = "Sign in through the server's authorization server to continue the audit."
        emit({ runId: id, type: 'announce', message, url: page })
        await deps.openUrl?.(page)
      },
    })
  return {
    onProgress(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    handlers: {
      async 'audit:run'({ url, identity, signIn }) {
        if (running)
          throw new WorkbenchError('ERR_INTERNAL', 'An audit is running; wait for it to finish.')
        const resolved = await deps.resolveIdentity(identity)
        const dev = deps.workbench.devIssuer()
        const id = ++runId
        running = true
        emit({ runId: id, type: 'started', target: url })
        let signInFetch: typeof fetch = fetch
        const connect = signIn ? signInClient(id, () => signInFetch) : null
        runAudit({
          target: url,
          token: resolved.token,
          signIn: connect
            ? async (mcpUrl, auditFetch) => {
                signInFetch = auditFetch
                await connect.start(mcpUrl, { eager: true })
                const token = await connect.accessToken()
                if (!token) throw new Error(connect.state().error ?? 'no token after sign-in')
                return token
              }
            : undefined,
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
            void connect?.close()
          })
        return { runId: id }
      },
      'audit:last': (url) => store().last(url),
    },
  }
}
