import { randomBytes } from 'node:crypto'
import type { OAuthClientProvider, OAuthDiscoveryState } from '@modelcontextprotocol/sdk/client/auth.js'
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js'

export interface PreRegisteredClient {
  clientId: string
  clientSecret?: string
  /** The authorization server these credentials belong to; absent: the first one that accepts them. */
  issuer?: string
}

export interface ConnectOAuthProviderOptions {
  redirectUrl: string
  clientName: string
  /** A Client ID Metadata Document URL (https), used when the server advertises support. */
  clientMetadataUrl?: string
  preRegistered?: PreRegisteredClient
}

/** The SDK's OAuthClientProvider for one Connect session, in memory; `lastAuthorizationUrl` is what `auth()` asked to open. */
export interface ConnectOAuthProvider extends OAuthClientProvider {
  lastAuthorizationUrl: URL | null
  lastState: string | null
  clearTokens(): void
  storedTokens(): OAuthTokens | undefined
  storedClient(): OAuthClientInformationMixed | undefined
  storedDiscovery(): OAuthDiscoveryState | undefined
}

/** A public client on a loopback redirect uses `none`; with a server that does not allow it, the first secret method it offers. */
function registrationAuthMethod(supported: unknown): string {
  const methods = Array.isArray(supported) ? (supported as string[]) : []
  if (!methods.length || methods.includes('none')) return 'none'
  return ['client_secret_basic', 'client_secret_post'].find((m) => methods.includes(m)) ?? methods[0]
}

export function createConnectOAuthProvider(options: ConnectOAuthProviderOptions): ConnectOAuthProvider {
  let client: OAuthClientInformationMixed | undefined = options.preRegistered
    ? { client_id: options.preRegistered.clientId, client_secret: options.preRegistered.clientSecret, ...(options.preRegistered.issuer ? { issuer: options.preRegistered.issuer } : {}) }
    : undefined
  let tokens: OAuthTokens | undefined
  let verifier = ''
  let discovery: OAuthDiscoveryState | undefined

  const provider: ConnectOAuthProvider = {
    lastAuthorizationUrl: null,
    lastState: null,
    get redirectUrl() {
      return options.redirectUrl
    },
    clientMetadataUrl: options.clientMetadataUrl,
    get clientMetadata(): OAuthClientMetadata {
      return {
        client_name: options.clientName,
        redirect_uris: [options.redirectUrl],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: registrationAuthMethod(discovery?.authorizationServerMetadata?.token_endpoint_auth_methods_supported),
      }
    },
    state() {
      provider.lastState = randomBytes(16).toString('base64url')
      return provider.lastState
    },
    clientInformation: () => client,
    // Pre-registered credentials are not replaced by a registration: the SDK refuses them elsewhere instead.
    saveClientInformation: options.preRegistered ? undefined : (info) => {
      client = info
    },
    tokens: () => tokens,
    saveTokens(next) {
      tokens = next
    },
    redirectToAuthorization(url) {
      provider.lastAuthorizationUrl = url
    },
    saveCodeVerifier(next) {
      verifier = next
    },
    codeVerifier: () => verifier,
    saveDiscoveryState(state) {
      discovery = state
    },
    discoveryState: () => discovery,
    invalidateCredentials(scope) {
      if (scope === 'all' || scope === 'tokens') tokens = undefined
      if ((scope === 'all' || scope === 'client') && !options.preRegistered) client = undefined
      if (scope === 'all' || scope === 'verifier') verifier = ''
      if (scope === 'all' || scope === 'discovery') discovery = undefined
    },
    clearTokens() {
      tokens = undefined
    },
    storedTokens: () => tokens,
    storedClient: () => client,
    storedDiscovery: () => discovery,
  }
  return provider
}
