import { selectedIssuer } from '../../shared/config'
import { WorkbenchError } from '../../shared/errors'
import type { Workbench } from '../core'
import type { ConnectClient } from '../connect'
import { checkIssuer } from '../issuer/checkIssuer'
import { createTokenForge } from '../issuer/tokenForge'
import type { CommandHandlers } from './types'

export interface IssuerCommandDeps {
  workbench: Workbench
  /** The Connect client, created with the shell's `openUrl` (system browser, or a tab in browser mode). */
  connect: ConnectClient
}

type IssuerCommands = Pick<
  CommandHandlers,
  'forge:mint' | 'issuer:check' | 'connect:start' | 'connect:reset'
>

/** Token forge, issuer diagnostics and Connect, as contract commands. */
export function createIssuerCommands(deps: IssuerCommandDeps): IssuerCommands {
  const { workbench, connect } = deps

  const issuerInUse = (): string => {
    const dev = workbench.devIssuer()
    if (dev) return dev.issuer()
    const choice = selectedIssuer(workbench.config.get().auth)
    if (choice === 'off')
      throw new WorkbenchError(
        'ERR_FORGE_UNSUPPORTED',
        'Auth is off (auth.issuer "off"): the server accepts no tokens, so there is nothing to forge for.',
      )
    return workbench.status().issuer.issuer ?? choice
  }
  const forge = createTokenForge({
    signer: () => workbench.devIssuer()?.signer ?? null,
    issuer: issuerInUse,
    audience: () => workbench.audience(),
  })

  return {
    'forge:mint': (request) => forge.mint(request),
    'issuer:check': (url) =>
      checkIssuer(url, {
        audience: workbench.audience(),
        resource: workbench.resource(),
        devIssuer: workbench.devIssuer()?.issuer(),
      }),
    async 'connect:start'({ scope, prompt, asChatGpt, clientId, clientSecret }) {
      const preRegistered = clientId ? { clientId, clientSecret } : undefined
      // The public URL when there is one: the resource the metadata names must match the URL Connect talks to.
      const url = workbench.status().connectorUrl ?? workbench.mcpUrl()
      // The flow waits for the browser; its progress arrives as connect:changed events.
      const profile = asChatGpt ?? workbench.config.get().connect.asChatGpt
      connect
        .start(url, { scope, eager: true, prompt, asChatGpt: profile, preRegistered })
        .catch(() => {})
      return connect.state()
    },
    'connect:reset': () => connect.reset(),
  }
}
