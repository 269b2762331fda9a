import type { Workbench } from '../core'
import { createFileSecretStore } from './fileSecretStore'
import type { Forwarder } from './forwarder'
import type { SecretStore } from './secretStore'
import { createTunnelController, type TunnelController } from './tunnelController'
import { loopbackFor } from '../http/httpHelpers'

export interface WorkbenchTunnelOptions {
  workbench: Workbench
  /** Where the 0600 authtoken file lives when no `secretStore` is given. */
  dataDir: string
  /** Default: the 0600 file store (headless); the app passes the `safeStorage` one. */
  secretStore?: SecretStore
  env?: NodeJS.ProcessEnv
  forwarder?: Forwarder
  connectTimeoutMs?: number
  logLine?: (line: string) => void
}

/** A tunnel controller wired to the core: its URL becomes the public URL, live, and widget CSPs feed the warnings. */
export function createWorkbenchTunnel(options: WorkbenchTunnelOptions): TunnelController {
  const { workbench } = options
  return createTunnelController({
    port: () => workbench.port(),
    host: () => loopbackFor(workbench.config.get().server.host),
    onPublicUrl: (url) => workbench.setPublicUrl(url),
    secretStore: options.secretStore ?? createFileSecretStore({ dir: options.dataDir }),
    env: options.env,
    forwarder: options.forwarder,
    connectTimeoutMs: options.connectTimeoutMs,
    widgetAssetDomains: () =>
      workbench.widgets.list().flatMap((w) => w.manifest.csp.resourceDomains),
    logLine: options.logLine,
  })
}
