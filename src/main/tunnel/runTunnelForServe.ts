import type { Workbench } from '../core'
import type { Forwarder } from './forwarder'
import type { SecretStore } from './secretStore'
import { createWorkbenchTunnel } from './createWorkbenchTunnel'
import type { TunnelController } from './tunnelController'

export interface RunTunnelForServeOptions {
  workbench: Workbench
  /** Reserved ngrok domain (`--domain`). */
  domain?: string | null
  dataDir: string
  /** Where the result line goes (stdout in `serve`). */
  print: (line: string) => void
  env?: NodeJS.ProcessEnv
  secretStore?: SecretStore
  forwarder?: Forwarder
  connectTimeoutMs?: number
  logLine?: (line: string) => void
  /** An existing controller (the one the UI shows); default: a new one. */
  tunnel?: TunnelController
}

/**
 * `serve --tunnel`: starts the tunnel and prints `Public MCP endpoint: https://…/mcp`, or one line
 * `Tunnel error: <reason>`. Never throws; the local server keeps serving either way. Close the returned
 * controller before closing the workbench.
 */
export async function runTunnelForServe(
  options: RunTunnelForServeOptions,
): Promise<TunnelController> {
  const tunnel = options.tunnel ?? createWorkbenchTunnel(options)
  let status
  try {
    status = await tunnel.start({ domain: options.domain ?? null })
  } catch (err) {
    options.print(`Tunnel error: ${err instanceof Error ? err.message : String(err)}`)
    return tunnel
  }
  if (status.state === 'online' && status.url) {
    options.print(`Public MCP endpoint: ${status.url}/mcp`)
    for (const warning of status.warnings) options.print(`Tunnel warning: ${warning}`)
  } else {
    options.print(`Tunnel error: ${status.error ?? 'the tunnel did not start.'}`)
  }
  let last = status.state
  tunnel.onChange((s) => {
    if (s.state === last) return
    last = s.state
    if (s.state === 'reconnecting') options.print('Tunnel: connection lost, reconnecting…')
    else if (s.state === 'online' && s.url) options.print(`Public MCP endpoint: ${s.url}/mcp`)
    else if (s.state === 'failed')
      options.print(`Tunnel error: ${s.error ?? 'the tunnel stopped.'}`)
  })
  return tunnel
}
