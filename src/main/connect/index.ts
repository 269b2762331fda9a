export { createConnectClient } from './connectClient'
export type { ConnectClient, ConnectClientOptions, ConnectStartOptions } from './connectTypes'
export type { PreRegisteredClient } from './connectOAuthProvider'
