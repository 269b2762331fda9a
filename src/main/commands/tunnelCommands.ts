import { WorkbenchError } from '../../shared/errors'
import { PublicUrlSchema } from '../../shared/publicUrl'
import type { Workbench } from '../core'
import { probePublicUrl } from '../tunnel/probePublicUrl'
import type { TunnelController } from '../tunnel/tunnelController'
import type { CommandHandlers } from './types'

export interface TunnelCommandDeps {
  workbench: Pick<Workbench, 'config' | 'setPublicUrl' | 'status'>
  tunnel: TunnelController
}

export type TunnelCommand =
  | 'tunnel:start'
  | 'tunnel:stop'
  | 'tunnel:setAuthtoken'
  | 'tunnel:clearAuthtoken'
  | 'tunnel:setCustomUrl'
  | 'tunnel:probePublicUrl'

/** The tunnel commands, and the custom public URL for people who bring their own tunnel or domain. */
export function createTunnelCommands({
  workbench,
  tunnel,
}: TunnelCommandDeps): Pick<CommandHandlers, TunnelCommand> {
  return {
    'tunnel:start': (options) => tunnel.start({ domain: options.domain ?? null }),
    'tunnel:stop': () => tunnel.stop(),
    'tunnel:setAuthtoken': (token, options) => tunnel.setAuthtoken(token, options),
    'tunnel:clearAuthtoken': () => tunnel.clearAuthtoken(),
    async 'tunnel:setCustomUrl'(input) {
      const url = input === null || input.trim() === '' ? null : parseCustomUrl(input)
      // A custom URL replaces the tunnel; the core lets a live tunnel URL win over the config.
      if (url && tunnel.status().state !== 'stopped') await tunnel.stop()
      await workbench.config.update((raw) => ({
        ...raw,
        server: { ...(raw.server ?? {}), publicUrl: url },
      }))
      await workbench.setPublicUrl(null)
      return workbench.status()
    },
    async 'tunnel:probePublicUrl'() {
      const status = workbench.status()
      if (!status.publicUrl) return { url: null, ok: false, detail: 'No public URL is set.' }
      return probePublicUrl(status.publicUrl, status.resource)
    },
  }
}

/** `https://host[:port]`, no path, query or fragment: the server's routes (`/mcp`, `/.well-known/…`) hang off it. */
export function parseCustomUrl(input: string): string {
  const parsed = PublicUrlSchema.safeParse(input)
  if (!parsed.success)
    throw new WorkbenchError('ERR_CONFIG_INVALID', parsed.error.issues[0].message)
  return parsed.data
}
