import { inspectToken } from '../auth/inspectToken'
import type { CommandDeps } from './commandDeps'
import type { CommandHandlers } from './types'

export function createTokenCommands({
  workbench,
}: CommandDeps): Pick<CommandHandlers, 'token:inspect'> {
  return {
    'token:inspect': (token) => {
      const { auth } = workbench.config.get()
      const context = {
        verifier: workbench.verifier(),
        issuer: workbench.issuerSource(),
        audience: workbench.audience(),
        algorithms: auth.algorithms,
        clockToleranceSec: auth.clockToleranceSec,
        widgets: workbench.widgets
          .list()
          .map((w) => ({ id: w.id, auth: workbench.effectiveAuth(w) })),
        resourceMetadataUrl: workbench.resourceMetadataUrl(),
      }
      return inspectToken(context, token)
    },
  }
}
