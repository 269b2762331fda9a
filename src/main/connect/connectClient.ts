import { auth, extractWWWAuthenticateParams } from '@modelcontextprotocol/sdk/client/auth.js'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js'
import { decodeJwt } from 'jose'
import type { ConnectState } from '../../shared/issuerTypes'
import { WorkbenchError } from '../../shared/errors'
import { scopesFromClaims } from '../auth/accessToken'
import { createConnectOAuthProvider, type ConnectOAuthProvider, type PreRegisteredClient } from './connectOAuthProvider'
import { createConnectRecorder, type ConnectStepId } from './connectRecorder'
import { createRecordingFetch } from './recordingFetch'
import { followAuthorization } from './followAuthorization'
import { startLoopbackRedirect, type AuthorizationResponse, type LoopbackRedirect } from './loopbackRedirect'
import { describeConnectError } from './describeConnectError'

export interface ConnectClientOptions {
  /** Opens the authorization URL for a person: the system browser, or a new tab in browser mode. */
  openUrl: (url: string) => void | Promise<void>
  /** `client_name` sent in dynamic registration. Default "MCP Auth Workbench". */
  clientName?: string
  /** A Client ID Metadata Document URL (https), used when the server advertises support. */
  clientMetadataUrl?: string
  /** Credentials registered beforehand, for servers without dynamic registration. */
  preRegistered?: PreRegisteredClient
  /** Try the authorization request over HTTP first, for servers that approve without a person. Default false. */
  followRedirects?: boolean
  /** How long to wait for the browser sign-in, in milliseconds. Default 300000. */
  browserTimeoutMs?: number
  /** Authorizations one request may trigger (401 and step-up), so a server that never accepts cannot loop. Default 3. */
  maxAuthorizations?: number
  fetch?: FetchLike
}

/** The built-in OAuth client: runs what ChatGPT runs against an MCP server, step by step. */
export interface ConnectClient {
  state(): ConnectState
  onChange(listener: (state: ConnectState) => void): () => void
  /** Connects to `mcpUrl`, signs in on the server's challenge (or, with `eager`, from its metadata), lists the tools. */
  start(mcpUrl: string, options?: { scope?: string; eager?: boolean }): Promise<ConnectState>
  /** Fetch for the MCP endpoint as the signed-in identity: signs in on 401, steps up on 403 `insufficient_scope`. */
  fetch: FetchLike
  /** Asks for more scopes (a tool result's `mcp/www_authenticate` challenge, say). */
  stepUp(scope: string): Promise<void>
  /** The current access token, refreshed first when it expires within 30 s; null when not signed in. */
  accessToken(): Promise<string | null>
  reset(): Promise<ConnectState>
  close(): Promise<void>
}

interface Session {
  mcpUrl: string
  provider: ConnectOAuthProvider
  loopback: LoopbackRedirect
  resourceMetadataUrl: URL | undefined
  authorizations: number
  /** The scope the person asked for; absent: the challenge's, else the metadata's. */
  preferredScope: string | undefined
}

export function createConnectClient(options: ConnectClientOptions): ConnectClient {
  const baseFetch: FetchLike = options.fetch ?? ((url, init) => fetch(url, init))
  const browserTimeoutMs = options.browserTimeoutMs ?? 300_000
  const maxAuthorizations = options.maxAuthorizations ?? 3
  const recorder = createConnectRecorder()
  let session: Session | null = null

  async function openSession(mcpUrl: string): Promise<Session> {
    if (session?.mcpUrl === mcpUrl) return session
    await closeSession()
    const loopback = await startLoopbackRedirect()
    const provider = createConnectOAuthProvider({
      redirectUrl: loopback.redirectUrl, clientName: options.clientName ?? 'MCP Auth Workbench',
      clientMetadataUrl: options.clientMetadataUrl, preRegistered: options.preRegistered,
    })
    session = { mcpUrl, provider, loopback, resourceMetadataUrl: undefined, authorizations: 0, preferredScope: undefined }
    return session
  }

  async function closeSession() {
    const old = session
    session = null
    await old?.loopback.close()
  }

  function failRunning(err: unknown): WorkbenchError {
    const step = recorder.running() ?? 'authorization'
    const message = describeConnectError(step, err)
    recorder.fail(step, message)
    recorder.set({ state: 'failed', error: message, authorizationUrl: null })
    return err instanceof WorkbenchError ? err : new WorkbenchError('ERR_CONNECT_FAILED', message, { cause: err })
  }

  function settleMetadataSteps() {
    const steps = recorder.state().steps
    const status = (id: ConnectStepId) => steps.find((s) => s.id === id)?.status
    if (status('resourceMetadata') === 'running' && status('authServerMetadata') === 'ok') {
      recorder.skip('resourceMetadata', 'No RFC 9728 metadata: the server origin was taken as the authorization server (2025-03-26 rules).')
    }
    if (status('authServerMetadata') === 'running') {
      recorder.skip('authServerMetadata', 'No authorization server metadata: the default endpoints /authorize, /token and /register were used (2025-03-26 rules).')
    }
    const client = session?.provider.storedClient()
    if (client && status('registration') !== 'ok') {
      if (options.preRegistered) recorder.succeed('registration', { method: 'pre-registered', client_id: client.client_id })
      else if (/^https:\/\//.test(client.client_id)) recorder.succeed('registration', { method: 'Client ID Metadata Document', client_id: client.client_id })
    }
  }

  function publishIdentity(s: Session) {
    const tokens = s.provider.storedTokens()
    if (!tokens) return
    let claims: Record<string, unknown> = {}
    try {
      claims = decodeJwt(tokens.access_token) as Record<string, unknown>
    } catch {
      // An opaque token: the identity is whatever the token response says.
    }
    const scopes = Object.keys(claims).length ? scopesFromClaims(claims) : (tokens.scope ?? '').split(' ').filter(Boolean)
    const expiresAt = typeof claims.exp === 'number' ? claims.exp : tokens.expires_in ? Math.floor(Date.now() / 1000) + tokens.expires_in : null
    recorder.set({
      identity: { subject: typeof claims.sub === 'string' ? claims.sub : 'unknown (opaque token)', scopes, expiresAt, clientId: s.provider.storedClient()?.client_id ?? null },
    })
  }

  async function receiveAuthorization(s: Session, authorizationUrl: URL, state: string): Promise<AuthorizationResponse> {
    if (options.followRedirects) {
      const followed = await followAuthorization(authorizationUrl, s.loopback.redirectUrl, baseFetch)
      recorder.record('authorization', { followedOverHttp: followed.kind === 'redirected', hops: followed.hops })
      if (followed.kind === 'redirected') {
        s.loopback.deliver(followed.url)
        return s.loopback.waitFor(state, browserTimeoutMs)
      }
    }
    recorder.set({ state: 'waitingForBrowser', authorizationUrl: authorizationUrl.href })
    await options.openUrl(authorizationUrl.href)
    return s.loopback.waitFor(state, browserTimeoutMs)
  }

  function checkResponse(s: Session, response: AuthorizationResponse, state: string): string {
    if (response.error) throw new WorkbenchError('ERR_CONNECT_FAILED', `The authorization server refused: ${response.error}${response.errorDescription ? ` (${response.errorDescription})` : ''}.`)
    if (response.state !== state) throw new WorkbenchError('ERR_CONNECT_FAILED', 'The redirect carried another state value: it does not answer this sign-in (possible CSRF).')
    const metadata = s.provider.storedDiscovery()?.authorizationServerMetadata as Record<string, unknown> | undefined
    const issuer = typeof metadata?.issuer === 'string' ? metadata.issuer : null
    // RFC 9207 §2.4: compare `iss` as an exact string; required when the server says it sends it.
    if (response.iss !== null && issuer !== null && response.iss !== issuer) {
      throw new WorkbenchError('ERR_CONNECT_FAILED', `The redirect names the issuer "${response.iss}", not "${issuer}" (RFC 9207 mix-up defence).`)
    }
    if (response.iss === null && metadata?.authorization_response_iss_parameter_supported === true) {
      throw new WorkbenchError('ERR_CONNECT_FAILED', 'The server promises an "iss" parameter in the redirect (RFC 9207) but sent none.')
    }
    if (!response.code) throw new WorkbenchError('ERR_CONNECT_FAILED', 'The redirect carried no authorization code.')
    return response.code
  }

  async function authorize(s: Session, scope: string | undefined): Promise<void> {
    if (s.authorizations >= maxAuthorizations) {
      throw new WorkbenchError('ERR_CONNECT_FAILED', `Gave up after ${maxAuthorizations} authorizations: the server keeps refusing the tokens it gets.`)
    }
    s.authorizations++
    const fetchFn = createRecordingFetch(baseFetch, recorder)
    recorder.set({ state: 'running', error: null })
    try {
      const first = await auth(s.provider, { serverUrl: s.mcpUrl, resourceMetadataUrl: s.resourceMetadataUrl, scope, fetchFn })
      settleMetadataSteps()
      if (first === 'REDIRECT') {
        const url = s.provider.lastAuthorizationUrl as URL
        const state = s.provider.lastState ?? ''
        recorder.begin('authorization', { authorizationUrl: url.href, parameters: Object.fromEntries(url.searchParams), redirectUri: s.loopback.redirectUrl })
        const code = checkResponse(s, await receiveAuthorization(s, url, state), state)
        recorder.succeed('authorization', { redirectedBack: true })
        recorder.set({ state: 'running', authorizationUrl: null })
        await auth(s.provider, { serverUrl: s.mcpUrl, resourceMetadataUrl: s.resourceMetadataUrl, scope, authorizationCode: code, fetchFn })
      }
      publishIdentity(s)
      recorder.set({ state: 'connected', error: null, authorizationUrl: null })
    } catch (err) {
      throw failRunning(err)
    }
  }

  async function tokenFor(s: Session): Promise<string | null> {
    const tokens = s.provider.storedTokens()
    if (!tokens) return null
    const expiresAt = recorder.state().identity?.expiresAt ?? null
    if (tokens.refresh_token && expiresAt !== null && expiresAt - Date.now() / 1000 < 30) {
      await authorize(s, undefined)
      s.authorizations = 0
    }
    return s.provider.storedTokens()?.access_token ?? null
  }

  const authFetch: FetchLike = async (input, init) => {
    const s = session ?? (await openSession(String(input)))
    let authorizations = 0
    for (;;) {
      const token = await tokenFor(s)
      const headers = new Headers(init?.headers)
      if (token) headers.set('authorization', `Bearer ${token}`)
      const response = await baseFetch(input, { ...init, headers })
      if (response.status !== 401 && response.status !== 403) return response
      const challenge = extractWWWAuthenticateParams(response)
      if (response.status === 403 && challenge.error !== 'insufficient_scope') return response
      if (authorizations >= maxAuthorizations) return response
      authorizations++
      s.authorizations = 0
      const step: ConnectStepId = response.status === 403 ? 'stepUp' : 'challenge'
      const data = { status: response.status, wwwAuthenticate: response.headers.get('www-authenticate'), scope: challenge.scope ?? null, resourceMetadata: challenge.resourceMetadataUrl?.href ?? null }
      if (step === 'challenge' && token) recorder.begin('challenge', { ...data, note: 'The server refused the current token.' })
      else recorder.succeed(step, data)
      if (challenge.resourceMetadataUrl) s.resourceMetadataUrl = challenge.resourceMetadataUrl
      await response.body?.cancel().catch(() => {})
      if (step === 'stepUp') {
        const current = recorder.state().identity?.scopes ?? []
        s.provider.clearTokens()
        await authorize(s, [...new Set([...current, ...(challenge.scope ?? '').split(' ').filter(Boolean)])].join(' ') || undefined)
      } else {
        await authorize(s, s.preferredScope ?? challenge.scope)
        recorder.succeed('challenge')
      }
    }
  }

  return {
    state: recorder.state,
    onChange: recorder.onChange,
    fetch: authFetch,
    async start(mcpUrl, startOptions = {}) {
      recorder.reset()
      const s = await openSession(mcpUrl)
      s.authorizations = 0
      s.preferredScope = startOptions.scope
      recorder.set({ state: 'running' })
      const client = new Client({ name: options.clientName ?? 'MCP Auth Workbench', version: '1.0.0' })
      try {
        await client.connect(new StreamableHTTPClientTransport(new URL(mcpUrl), { fetch: authFetch }))
        const tools = await client.listTools()
        if (!s.provider.storedTokens() && (startOptions.eager ?? true)) {
          recorder.succeed('challenge', { status: 200, note: 'The server let anonymous initialize and tools/list through; signing in from its well-known metadata.' })
          await authorize(s, startOptions.scope)
        }
        recorder.succeed('identity', { tools: tools.tools.map((t) => t.name) })
        if (recorder.state().state !== 'failed') recorder.set({ state: s.provider.storedTokens() ? 'connected' : 'idle' })
      } catch (err) {
        if (recorder.state().state !== 'failed') failRunning(err)
      } finally {
        await client.close().catch(() => {})
      }
      return recorder.state()
    },
    async stepUp(scope) {
      if (!session) throw new WorkbenchError('ERR_CONNECT_FAILED', 'Connect has not started.')
      recorder.succeed('stepUp', { scope })
      const current = recorder.state().identity?.scopes ?? []
      session.provider.clearTokens()
      session.authorizations = 0
      await authorize(session, [...new Set([...current, ...scope.split(' ').filter(Boolean)])].join(' '))
    },
    accessToken: async () => (session ? tokenFor(session) : null),
    async reset() {
      await closeSession()
      recorder.reset()
      return recorder.state()
    },
    close: closeSession,
  }
}
