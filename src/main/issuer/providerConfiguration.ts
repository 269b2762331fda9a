import { errors } from 'oidc-provider'
import type { TestUser } from '../../shared/config'
import type { IssuerKeys } from './issuerKeys'
import { renderMessage } from './interactionPages'

export const ISSUER_PATH = '/oauth'
const DAY = 86_400

export interface ProviderConfigurationInput {
  keys: IssuerKeys
  users: () => TestUser[]
  accessTokenTtlSec: number
  resource: () => string
  adapter: (model: string) => object
  /** Fetches client metadata documents and client JWKS (see cimdFetch). */
  fetch: (url: URL | string, options: RequestInit) => Promise<Response>
  /** Why a document fetch was refused, by URL, for the error page. */
  refused: Map<string, string>
}

/** Token endpoint methods: `private_key_jwt` and `none` are what ChatGPT's document offers. */
export const CLIENT_AUTH_METHODS = [
  'none',
  'private_key_jwt',
  'client_secret_basic',
  'client_secret_post',
]

/** Every scope some test user holds: what the resource server offers and discovery advertises. */
export function offeredScopes(users: TestUser[]): string[] {
  return [...new Set(users.flatMap((u) => u.permissions))]
}

/**
 * oidc-provider configuration for what ChatGPT and the MCP spec need: open DCR, PKCE S256 always,
 * RFC 8707 resources with JWT access tokens (aud = resource), refresh tokens, RFC 9207 `iss` (always on).
 */
export function providerConfiguration(input: ProviderConfigurationInput): Record<string, unknown> {
  const findUser = (sub: string) => input.users().find((u) => u.subject === sub)
  return {
    adapter: input.adapter,
    jwks: { keys: [input.keys.privateJwk] },
    cookies: { keys: input.keys.cookieKeys },
    clients: [],
    clientDefaults: {
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      id_token_signed_response_alg: 'RS256',
    },
    clientAuthMethods: CLIENT_AUTH_METHODS,
    fetch: input.fetch,
    fetchResponseBodyLimits: {
      'client_id metadata document': 5 * 1024,
      jwks_uri: 64 * 1024,
      sector_identifier_uri: 64 * 1024,
    },
    responseTypes: ['code'],
    // Permissions are also OP scopes: clients (the SDK, ChatGPT) send them in registration `scope`, validated against this list.
    scopes: ['openid', 'offline_access', ...offeredScopes(input.users())],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      registration: {
        enabled: true,
        initialAccessToken: false,
        issueRegistrationAccessToken: false,
      },
      revocation: { enabled: true },
      clientIdMetadataDocument: { enabled: true, ack: 'draft-02' },
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => input.resource(),
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx: unknown, indicator: string) => {
          // Tokens only for this server: a client cannot mint tokens for another API through this issuer.
          if (indicator !== input.resource()) {
            throw new errors.InvalidTarget(`this issuer only issues tokens for ${input.resource()}`)
          }
          return {
            scope: offeredScopes(input.users()).join(' '),
            audience: indicator,
            accessTokenTTL: input.accessTokenTtlSec,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: input.keys.alg } },
          }
        },
      },
    },
    findAccount: async (_ctx: unknown, sub: string) => {
      const user = findUser(sub)
      if (!user) return undefined
      return {
        accountId: sub,
        claims: async () => ({ sub, name: user.name, email: user.email, email_verified: true }),
      }
    },
    // The protected widget greets by `name`; `permissions` stays out so scopes remain the granted intersection.
    extraTokenClaims: async (_ctx: unknown, token: { kind: string; accountId?: string }) => {
      const user =
        token.kind === 'AccessToken' && token.accountId ? findUser(token.accountId) : undefined
      return user ? { name: user.name, email: user.email } : undefined
    },
    issueRefreshToken: async (_ctx: unknown, client: { grantTypeAllowed(g: string): boolean }) =>
      client.grantTypeAllowed('refresh_token'),
    expiresWithSession: async () => false,
    ttl: {
      AccessToken: input.accessTokenTtlSec,
      AuthorizationCode: 120,
      IdToken: 3600,
      Interaction: 3600,
      RefreshToken: 14 * DAY,
      Grant: 14 * DAY,
      Session: 14 * DAY,
    },
    interactions: {
      url: async (_ctx: unknown, interaction: { uid: string }) =>
        `${ISSUER_PATH}/interaction/${interaction.uid}`,
    },
    renderError: async (
      ctx: { type: string; body: string; oidc?: { params?: Record<string, unknown> } },
      out: { error?: string; error_description?: string },
    ) => {
      ctx.type = 'html'
      const clientId = ctx.oidc?.params?.client_id
      const refusal = typeof clientId === 'string' ? refusalFor(input.refused, clientId) : undefined
      const why = refusal ? ` The client's metadata document was not fetched: ${refusal}.` : ''
      ctx.body = renderMessage(
        'Sign-in failed',
        `${out.error ?? 'error'}: ${out.error_description ?? 'the request could not be completed.'}${why}`,
      )
    },
  }
}

/** The refusal recorded for a client id, which the fetch saw as a normalized URL. */
function refusalFor(refused: Map<string, string>, clientId: string): string | undefined {
  if (refused.has(clientId)) return refused.get(clientId)
  try {
    return refused.get(new URL(clientId).href)
  } catch {
    return undefined
  }
}
