import { randomBytes } from 'node:crypto'
import type {
  AddClientAuthentication,
  OAuthClientInformationContext,
  OAuthClientMetadata,
  OAuthClientProvider,
  OAuthDiscoveryState,
  StoredOAuthClientInformation,
  StoredOAuthTokens,
} from '@modelcontextprotocol/client'

export interface PreRegisteredClient {
  clientId: string
  clientSecret?: string
  /** The authorization server these credentials belong to; absent: the first one that accepts them. */
  issuer?: string
}

/** A client whose `client_id` is its metadata document's URL, used as-is when the server supports CIMD. */
export interface MetadataDocumentClient {
  clientId: string
  /** Signs a `private_key_jwt` assertion at the token endpoint; absent: a public client (`none`). */
  addClientAuthentication?: AddClientAuthentication
}

export interface ConnectOAuthProviderOptions {
  /** Read whenever the SDK needs it: the ChatGPT profile picks its redirect after discovery. */
  redirectUrl: () => string
  clientName: string
  /** A Client ID Metadata Document URL (https), used when the server advertises support. */
  clientMetadataUrl?: string
  /** A CIMD client driven by the Workbench itself (the ChatGPT profile), http loopback allowed. */
  documentClient?: () => MetadataDocumentClient | undefined
  preRegistered?: PreRegisteredClient
  /** Extra authorization request parameters (`prompt`, `id_token_hint`), read when the URL is built. */
  authorizationParams?: () => Record<string, string>
}

/**
 * The SDK's OAuthClientProvider for one Connect session, in memory. Client credentials and tokens are
 * kept per authorization server (`issuer`), so a server that moves to another issuer gets a new
 * registration instead of the old one's credentials.
 */
export interface ConnectOAuthProvider extends OAuthClientProvider {
  lastAuthorizationUrl: URL | null
  lastState: string | null
  clearTokens(): void
  storedTokens(): StoredOAuthTokens | undefined
  storedClient(): StoredOAuthClientInformation | undefined
  storedDiscovery(): OAuthDiscoveryState | undefined
  /** Forgets discovery, so the next `auth()` reads the metadata again. */
  forgetDiscovery(): void
  /** The issuers Connect holds credentials for. */
  issuers(): string[]
}

/** A public client on a loopback redirect uses `none`; else the first secret method the server offers. */
function registrationAuthMethod(supported: unknown): string {
  const methods = Array.isArray(supported) ? (supported as string[]) : []
  if (!methods.length || methods.includes('none')) return 'none'
  return (
    ['client_secret_basic', 'client_secret_post'].find((m) => methods.includes(m)) ?? methods[0]
  )
}

export function createConnectOAuthProvider(
  options: ConnectOAuthProviderOptions,
): ConnectOAuthProvider {
  const pre = options.preRegistered
  const clients = new Map<string, StoredOAuthClientInformation>()
  const tokensByIssuer = new Map<string, StoredOAuthTokens>()
  let currentIssuer: string | undefined
  let lastTokens: StoredOAuthTokens | undefined
  let verifier = ''
  let discovery: OAuthDiscoveryState | undefined

  const issuerOf = (ctx?: OAuthClientInformationContext) => ctx?.issuer ?? currentIssuer ?? ''
  const supportsCimd = () =>
    discovery?.authorizationServerMetadata?.client_id_metadata_document_supported === true

  function clientFor(issuer: string): StoredOAuthClientInformation | undefined {
    const saved = clients.get(issuer)
    if (saved) return saved
    if (pre && (!pre.issuer || pre.issuer === issuer)) {
      return {
        client_id: pre.clientId,
        client_secret: pre.clientSecret,
        ...(pre.issuer ? { issuer } : {}),
      }
    }
    const document = options.documentClient?.()
    if (document && supportsCimd()) return { client_id: document.clientId, issuer }
    return undefined
  }

  const provider: ConnectOAuthProvider = {
    lastAuthorizationUrl: null,
    lastState: null,
    get redirectUrl() {
      return options.redirectUrl()
    },
    clientMetadataUrl: options.documentClient ? undefined : options.clientMetadataUrl,
    get clientMetadata(): OAuthClientMetadata {
      const supported =
        discovery?.authorizationServerMetadata?.token_endpoint_auth_methods_supported
      return {
        client_name: options.clientName,
        redirect_uris: [options.redirectUrl()],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: registrationAuthMethod(supported),
      }
    },
    state() {
      provider.lastState = randomBytes(16).toString('base64url')
      return provider.lastState
    },
    clientInformation: (ctx) => clientFor(issuerOf(ctx)),
    // Pre-registered credentials are never replaced by a registration: the SDK refuses elsewhere.
    saveClientInformation: pre
      ? undefined
      : (info, ctx) => {
          clients.set(issuerOf(ctx), info)
        },
    tokens: (ctx) => (ctx ? tokensByIssuer.get(ctx.issuer) : lastTokens),
    saveTokens(next, ctx) {
      currentIssuer = issuerOf(ctx)
      tokensByIssuer.set(currentIssuer, next)
      lastTokens = next
    },
    redirectToAuthorization(url) {
      for (const [k, v] of Object.entries(options.authorizationParams?.() ?? {}))
        url.searchParams.set(k, v)
      provider.lastAuthorizationUrl = url
    },
    saveCodeVerifier(next) {
      verifier = next
    },
    codeVerifier: () => verifier,
    saveDiscoveryState(state) {
      discovery = state
      const issuer = state.authorizationServerMetadata?.issuer
      if (issuer && issuer !== currentIssuer) {
        currentIssuer = issuer
        lastTokens = tokensByIssuer.get(issuer)
      }
    },
    discoveryState: () => discovery,
    invalidateCredentials(scope) {
      const issuer = currentIssuer ?? ''
      if (scope === 'all' || scope === 'tokens') {
        tokensByIssuer.delete(issuer)
        lastTokens = undefined
      }
      if (scope === 'all' || scope === 'client') clients.delete(issuer)
      if (scope === 'all' || scope === 'verifier') verifier = ''
      if (scope === 'all' || scope === 'discovery') discovery = undefined
    },
    clearTokens() {
      if (currentIssuer !== undefined) tokensByIssuer.delete(currentIssuer)
      lastTokens = undefined
    },
    storedTokens: () => lastTokens,
    storedClient: () => (currentIssuer !== undefined ? clientFor(currentIssuer) : undefined),
    storedDiscovery: () => discovery,
    forgetDiscovery() {
      discovery = undefined
    },
    issuers: () => [...new Set([...clients.keys(), ...tokensByIssuer.keys()])],
  }
  if (options.documentClient) {
    const documentClient = options.documentClient
    // Only the CIMD client signs; a DCR client of the same profile is public or sends its secret.
    provider.addClientAuthentication = async (headers, params, url, metadata) => {
      const document = documentClient()
      if (
        document?.addClientAuthentication &&
        clientFor(issuerOf())?.client_id === document.clientId
      ) {
        params.set('client_id', document.clientId)
        return document.addClientAuthentication(headers, params, url, metadata)
      }
      const client = clientFor(issuerOf())
      params.set('client_id', client?.client_id ?? '')
      if (client?.client_secret) params.set('client_secret', client.client_secret)
    }
  }
  return provider
}
