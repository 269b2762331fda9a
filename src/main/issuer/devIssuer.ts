import type { IncomingMessage, ServerResponse } from 'node:http'
import { randomUUID } from 'node:crypto'
import { Provider } from 'oidc-provider'
import { createLocalJWKSet } from 'jose'
import { DevIssuerSettingsSchema, type TestUser, type WorkbenchConfig } from '../../shared/config'
import type { IssuerStatus } from '../../shared/events'
import { WorkbenchError } from '../../shared/errors'
import type { IssuerSource, ResolvedIssuer } from '../auth/issuerSource'
import type { HttpMount } from '../server/httpMount'
import { loadIssuerKeys } from './issuerKeys'
import { createIssuerSigner, type IssuerSigner } from './issuerSigner'
import { createMemoryAdapterFactory, endAllSessions } from './memoryAdapter'
import {
  CLIENT_AUTH_METHODS,
  ISSUER_PATH,
  offeredScopes,
  providerConfiguration,
} from './providerConfiguration'
import { createCimdFetch } from './cimdFetch'
import { pinForwardedHeaders } from './forwardedHeaders'
import { createRegistrationGuard } from './registrationGuard'
import { handleInteraction, isInteractionPath } from './interactionRoutes'
import { inProcessRequest } from './inProcessRequest'

export interface DevIssuerOptions {
  /** Folder holding `dev-issuer-keys.json` (created with mode 0600 on first start). */
  dataDir: string
  /** Public base URL of the server (the tunnel's when there is one), without a trailing slash; the issuer is `<baseUrl>/oauth`. */
  baseUrl: string
  /** Test users offered on the sign-in page. */
  users: TestUser[]
  /** Access token lifetime, in seconds. */
  accessTokenTtlSec: number
  /** The protected resource identifier: the default `resource` and the `aud` of access tokens. */
  resource: () => string
  onStatusChange?: (status: IssuerStatus) => void
  /** The live `devIssuer` config (CIMD and registration limits); absent: the defaults. */
  settings?: () => WorkbenchConfig['devIssuer']
}

/** The embedded OAuth 2.1 authorization server, served by the core under `/oauth` on the MCP server's own origin. */
export interface DevIssuer {
  source: IssuerSource
  mount: HttpMount
  signer: IssuerSigner
  /** The issuer identifier: `<baseUrl>/oauth`. */
  issuer(): string
  users(): TestUser[]
  /** Rebuilds the provider for a new public URL; tokens minted for the old issuer stop verifying (`iss`). */
  setBaseUrl(baseUrl: string): Promise<void>
  setUsers(users: TestUser[]): void
  /** A valid access token for a test user, as if they signed in: scopes = `scopes` ∩ permissions (absent: all permissions). */
  mintForUser(subject: string, scopes?: string[]): Promise<string>
  /** Ends every sign-in session, so the next sign-in asks who the person is again. */
  endSessions(): Promise<void>
  close(): Promise<void>
}

export async function createDevIssuer(options: DevIssuerOptions): Promise<DevIssuer> {
  const keys = await loadIssuerKeys(options.dataDir)
  const getKey = createLocalJWKSet({ keys: [keys.publicJwk] })
  const defaults = DevIssuerSettingsSchema.parse({})
  const settings = () => options.settings?.() ?? defaults
  const adapter = createMemoryAdapterFactory({
    maxClients: () => settings().registration.maxClients,
    unusedTtlSec: () => settings().registration.unusedTtlSec,
  })
  const refused = new Map<string, string>()
  let localOrigin: string | null = null
  const cimdFetch = createCimdFetch({
    ownOrigin: () => baseUrl,
    localOrigin: () => localOrigin,
    allowLoopback: () => settings().cimd.allowLoopback,
    refused,
    authMethods: CLIENT_AUTH_METHODS.filter((m) => m === 'none' || m === 'private_key_jwt'),
  })
  const guardRegistration = createRegistrationGuard({
    perMinute: () => settings().registration.perMinute,
  })
  let users = [...options.users]
  let baseUrl = trimBaseUrl(options.baseUrl)
  let provider = buildProvider()
  let handler = provider.callback()
  let resolved: Promise<ResolvedIssuer> | null = null
  let closed = false

  const issuer = () => `${baseUrl}${ISSUER_PATH}`
  const status = (): IssuerStatus => ({
    kind: 'dev',
    issuer: issuer(),
    state: 'ready',
    error: null,
    jwksUri: `${issuer()}/jwks`,
  })
  const signer = createIssuerSigner(keys, issuer)

  function buildProvider(): Provider {
    const built = new Provider(
      `${baseUrl}${ISSUER_PATH}`,
      providerConfiguration({
        keys,
        users: () => users,
        accessTokenTtlSec: options.accessTokenTtlSec,
        resource: options.resource,
        adapter,
        fetch: cimdFetch,
        refused,
      }),
    )
    // The mount pins X-Forwarded-Proto/Host to the configured base URL (the tunnel's when there is one).
    built.proxy = true
    built.use(async (ctx: { path: string; body: unknown }, next) => {
      await next()
      if (
        ctx.path === '/.well-known/openid-configuration' &&
        ctx.body &&
        typeof ctx.body === 'object'
      ) {
        ;(ctx.body as Record<string, unknown>).scopes_supported = [
          'openid',
          'offline_access',
          ...offeredScopes(users),
        ]
      }
    })
    return built
  }

  async function readMetadata(): Promise<ResolvedIssuer> {
    const url = new URL(baseUrl)
    const response = await inProcessRequest(
      mount.handle,
      `${ISSUER_PATH}/.well-known/openid-configuration`,
      {
        host: url.host,
        'x-forwarded-proto': url.protocol.slice(0, -1),
        'x-forwarded-host': url.host,
        accept: 'application/json',
      },
    )
    if (response.status !== 200)
      throw new WorkbenchError(
        'ERR_ISSUER_DISCOVERY',
        `The development issuer's metadata answered HTTP ${response.status}.`,
      )
    const metadata = JSON.parse(response.body) as Record<string, unknown>
    return { issuer: metadata.issuer as string, getKey, metadata }
  }

  const mount: HttpMount = {
    prefix: ISSUER_PATH,
    async handle(req: IncomingMessage, res: ServerResponse) {
      const original = req.url ?? '/'
      const pathname = new URL(original, 'http://x').pathname
      const local = req.socket.localAddress
      if (req.socket.localPort && local)
        localOrigin = `http://${local.includes(':') && !local.startsWith('::ffff:') ? `[${local}]` : local.replace(/^::ffff:/, '')}:${req.socket.localPort}`
      pinForwardedHeaders(req, baseUrl)
      if (
        req.method === 'POST' &&
        pathname === `${ISSUER_PATH}/reg` &&
        (await guardRegistration(req, res))
      )
        return
      if (isInteractionPath(pathname)) return handleInteraction(provider, () => users, req, res)
      // RFC 8414 metadata under the issuer too: the same document as OIDC discovery.
      let path =
        pathname === `${ISSUER_PATH}/.well-known/oauth-authorization-server`
          ? original.replace(
              '/.well-known/oauth-authorization-server',
              '/.well-known/openid-configuration',
            )
          : original
      if (pathname === `${ISSUER_PATH}/auth`) path = withDefaultScope(path)
      ;(req as IncomingMessage & { originalUrl?: string }).originalUrl = path
      req.url = path.slice(ISSUER_PATH.length) || '/'
      // oidc-provider's own pages (the /session/end logout form) must not be framed (clickjacking).
      res.setHeader('content-security-policy', "frame-ancestors 'none'")
      res.setHeader('x-frame-options', 'DENY')
      return handler(req, res)
    },
  }

  const source: IssuerSource = {
    kind: 'dev',
    get configuredIssuer() {
      return issuer()
    },
    status,
    resolve() {
      if (closed)
        return Promise.reject(
          new WorkbenchError('ERR_ISSUER_DISCOVERY', 'The development issuer is closed.'),
        )
      if (!resolved) {
        resolved = readMetadata()
        resolved.catch(() => {
          resolved = null
        })
      }
      return resolved
    },
    close: () => devIssuer.close(),
  }

  const devIssuer: DevIssuer = {
    source,
    mount,
    signer,
    issuer,
    users: () => users,
    async setBaseUrl(next) {
      const trimmed = trimBaseUrl(next)
      if (trimmed === baseUrl) return
      baseUrl = trimmed
      provider = buildProvider()
      handler = provider.callback()
      resolved = null
      options.onStatusChange?.(status())
    },
    setUsers(next) {
      const scopesBefore = offeredScopes(users).join(' ')
      users = [...next]
      resolved = null
      if (offeredScopes(users).join(' ') !== scopesBefore) {
        provider = buildProvider()
        handler = provider.callback()
      }
    },
    async mintForUser(subject, scopes) {
      const user = users.find((u) => u.subject === subject)
      if (!user)
        throw new WorkbenchError(
          'ERR_FORGE_UNSUPPORTED',
          `No test user has the subject "${subject}".`,
        )
      const granted = scopes ? scopes.filter((s) => user.permissions.includes(s)) : user.permissions
      const now = Math.floor(Date.now() / 1000)
      return signer.sign({
        iss: issuer(),
        sub: user.subject,
        aud: options.resource(),
        iat: now,
        exp: now + options.accessTokenTtlSec,
        jti: randomUUID(),
        client_id: 'mcp-auth-workbench',
        scope: granted.join(' '),
        name: user.name,
        email: user.email,
      })
    },
    async endSessions() {
      await endAllSessions(adapter)
    },
    async close() {
      closed = true
      resolved = null
    },
  }
  return devIssuer
}

/**
 * A client that asks for no scope (the MCP spec lets it omit `scope`) still signs the person in: `openid`
 * stands in, so the grant is not empty, and the access token carries no permission.
 */
function withDefaultScope(path: string): string {
  const url = new URL(path, 'http://x')
  if (url.searchParams.get('scope')) return path
  url.searchParams.set('scope', 'openid')
  return `${url.pathname}${url.search}`
}

function trimBaseUrl(value: string): string {
  const url = new URL(value)
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new TypeError('baseUrl must be an http(s) URL')
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`
}
