import { WorkbenchError } from '../../shared/errors'
import type { Workbench } from '../core'
import type { TunnelController } from '../tunnel/tunnelController'
import type { CommandHandlers } from './types'

export interface TunnelCommandDeps {
  workbench: Pick<Workbench, 'config' | 'setPublicUrl' | 'status'>
  tunnel: TunnelController
}

type TunnelCommand = 'tunnel:start' | 'tunnel:stop' | 'tunnel:setAuthtoken' | 'tunnel:clearAuthtoken' | 'tunnel:setCustomUrl'

/** The tunnel commands, and the custom public URL for people who bring their own tunnel or domain. */
export function createTunnelCommands({ workbench, tunnel }: TunnelCommandDeps): Pick<CommandHandlers, TunnelCommand> {
  return {
    'tunnel:start': (options) => tunnel.start({ domain: options.domain ?? null }),
    'tunnel:stop': () => tunnel.stop(),
    'tunnel:setAuthtoken': (token, options) => tunnel.setAuthtoken(token, options),
    'tunnel:clearAuthtoken': () => tunnel.clearAuthtoken(),
    async 'tunnel:setCustomUrl'(input) {
      const url = input === null || input.trim() === '' ? null : parseCustomUrl(input)
      // A custom URL replaces the tunnel; the core lets a live tunnel URL win over the config.
      if (url && tunnel.status().state !== 'stopped') await tunnel.stop()
      await workbench.config.update((raw) => ({ ...raw, server: { ...(raw.server ?? {}), publicUrl: url } }))
      await workbench.setPublicUrl(null)
      return workbench.status()
    },
  }
}

/** `https://host[:port]`, no path, query or fragment: the server's routes (`/mcp`, `/.well-known/…`) hang off it. */
export function parseCustomUrl(input: string): string {
  let url: URL
  try {
    url = new URL(input.trim())
  } catch {
    throw new WorkbenchError('ERR_CONFIG_INVALID', `"${input}" is not a URL. Enter the public https address that reaches this server, like https://mcp.example.com.`)
  }
  if (url.protocol !== 'https:') throw new WorkbenchError('ERR_CONFIG_INVALID', 'The public URL must use https: ChatGPT only connects to https servers.')
  if (url.username || url.password) throw new WorkbenchError('ERR_CONFIG_INVALID', 'The public URL must not contain a user name or password.')
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    throw new WorkbenchError('ERR_CONFIG_INVALID', `Enter the address without a path (${url.origin}); the Workbench serves /mcp and /.well-known under it.`)
  }
  return url.origin
}
