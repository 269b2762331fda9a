export {
  createTunnelController,
  AUTHTOKEN_SECRET,
  type TunnelController,
  type TunnelControllerOptions,
} from './tunnelController'
export { createNgrokForwarder, type NgrokForwarderOptions } from './ngrokForwarder'
export type { Forwarder, ForwardRequest, ForwardedTunnel, ForwardFailure } from './forwarder'
export { createFileSecretStore, type FileSecretStoreOptions } from './fileSecretStore'
export type { SecretStore, SecretStoreDescription } from './secretStore'
export { describeTunnelError, type TunnelErrorDescription } from './describeTunnelError'
export { normalizeAuthtoken } from './normalizeAuthtoken'
export { interstitialWarning, isNgrokFreeDomain } from './tunnelWarnings'
export { createWorkbenchTunnel, type WorkbenchTunnelOptions } from './createWorkbenchTunnel'
export { runTunnelForServe, type RunTunnelForServeOptions } from './runTunnelForServe'
