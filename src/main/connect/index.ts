export { createConnectClient } from './connectClient'
export type { ConnectClient, ConnectClientOptions } from './connectClient'
export type { PreRegisteredClient } from './connectOAuthProvider'
