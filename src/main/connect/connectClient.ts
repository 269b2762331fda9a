import {
  auth,
  Client,
  computeScopeUnion,
  discoverOAuthServerInfo,
  extractWWWAuthenticateParams,
  StreamableHTTPClientTransport,
  type FetchLike,
} from '@modelcontextprotocol/client'
import { WorkbenchError } from '../../shared/errors'
import { checkAuthorizationResponse } from './authorizationResponse'
import { chatGptScope, planChatGpt } from './chatgptProfile'
import { createConnectOAuthProvider } from './connectOAuthProvider'
import { createConnectRecorder, redactUrl, type ConnectStepId } from './connectRecorder'
import { createRecordingFetch } from './recordingFetch'
import { followAuthorization } from './followAuthorization'
import { startLoopbackRedirect, type AuthorizationResponse } from './loopbackRedirect'
import { failRunning } from './connectFailure'
import type { ConnectClient, ConnectClientOptions, Session } from './connectTypes'
import { checkBinding, identityFromTokens, settleMetadataSteps } from './connectSteps'

export function createConnectClient(options: ConnectClientOptions): ConnectClient {
  const baseFetch: FetchLike = options.fetch ?? ((url, init) => fetch(url, init))
  const browserTimeoutMs = options.browserTimeoutMs ?? 300_000
  const maxAuthorizations = options.maxAuthorizations ?? 3
  const recorder = createConnectRecorder()
  let session: Session | null = null
  let asChatGpt = false

  let preRegistered = options.preRegistered

  async function openSession(mcpUrl: string): Promise<Session> {
    if (session?.mcpUrl === mcpUrl) return session
    await closeSession()
    const loopback = await startLoopbackRedirect()
    const s: Session = {
      mcpUrl,
      loopback,
      resourceMetadataUrl: undefined,
      authorizations: 0,
      preferredScope: undefined,
      requestedScope: undefined,
      prompt: undefined,
      chatgpt: null,
      idToken: undefined,
      binding: undefined,
      provider: createConnectOAuthProvider({
        redirectUrl: () =>
          s.chatgpt ? `${loopback.origin}${s.chatgpt.redirectPath}` : loopback.redirectUrl,
        clientName: options.clientName ?? 'MCP Auth Workbench',
        clientMetadataUrl: options.clientMetadataUrl,
        preRegistered,
        documentClient: options.chatgpt ? () => s.chatgpt?.documentClient : undefined,
        authorizationParams: () => ({
          ...(s.prompt ? { prompt: s.prompt } : {}),
          ...(s.chatgpt && s.idToken ? { id_token_hint: s.idToken } : {}),
        }),
      }),
    }
    session = s
    return s
  }

  async function closeSession() {
    const old = session
    session = null
    await old?.loopback.close()
  }

  async function receiveAuthorization(
    s: Session,
    authorizationUrl: URL,
    state: string,
  ): Promise<AuthorizationResponse> {
    const redirectUrl = String(s.provider.redirectUrl)
    if (options.followRedirects) {
      const followed = await followAuthorization(authorizationUrl, redirectUrl, baseFetch)
      recorder.record('authorization', {
        followedOverHttp: followed.kind === 'redirected',
        hops: followed.hops,
      })
      if (followed.kind === 'redirected') {
        s.loopback.deliver(followed.url)
        return s.loopback.waitFor(state, browserTimeoutMs)
      }
    }
    recorder.set({ state: 'waitingForBrowser', authorizationUrl: authorizationUrl.href })
    await options.openUrl(authorizationUrl.href)
    return s.loopback.waitFor(state, browserTimeoutMs)
  }

  /** ChatGPT decides its client and redirect from the issuer's metadata, so it discovers first. */
  async function prepareChatGpt(s: Session, fetchFn: FetchLike) {
    if (!options.chatgpt || !asChatGpt) {
      s.chatgpt = null
      return
    }
    if (!s.provider.storedDiscovery()) {
      const info = await discoverOAuthServerInfo(s.mcpUrl, {
        resourceMetadataUrl: s.resourceMetadataUrl,
        fetchFn,
      })
      await s.provider.saveDiscoveryState?.({
        ...info,
        resourceMetadataUrl: s.resourceMetadataUrl?.href,
      })
    }
    s.chatgpt ??= planChatGpt(options.chatgpt, s.provider.storedDiscovery())
    for (const [step, verdict] of Object.entries(s.chatgpt.verdicts))
      recorder.warn(step as ConnectStepId, verdict)
  }

  async function authorize(s: Session, scope: string | undefined, force = false): Promise<void> {
    if (s.authorizations >= maxAuthorizations) {
      throw new WorkbenchError(
        'ERR_CONNECT_FAILED',
        `Gave up after ${maxAuthorizations} authorizations: the server keeps refusing the tokens it gets.`,
      )
    }
    s.authorizations++
    const fetchFn = createRecordingFetch(baseFetch, recorder)
    recorder.set({ state: 'running', error: null })
    try {
      await prepareChatGpt(s, fetchFn)
      const wanted = s.chatgpt ? chatGptScope(scope, s.provider.storedDiscovery()) : scope
      s.requestedScope = computeScopeUnion(s.requestedScope, wanted)
      const common = {
        serverUrl: s.mcpUrl,
        resourceMetadataUrl: s.resourceMetadataUrl,
        scope: wanted,
        fetchFn,
      }
      const first = await auth(s.provider, { ...common, forceReauthorization: force })
      checkBinding(s, recorder)
      settleMetadataSteps(recorder, s.provider, preRegistered !== undefined)
      if (first === 'REDIRECT') {
        const url = s.provider.lastAuthorizationUrl as URL
        const state = s.provider.lastState ?? ''
        recorder.begin('authorization', {
          authorizationUrl: redactUrl(url.href),
          parameters: Object.fromEntries(url.searchParams),
          redirectUri: String(s.provider.redirectUrl),
        })
        const response = await receiveAuthorization(s, url, state)
        const code = checkAuthorizationResponse(response, state, s.provider.storedDiscovery())
        recorder.succeed('authorization', { redirectedBack: true, iss: response.iss })
        recorder.set({ state: 'running', authorizationUrl: null })
        await auth(s.provider, {
          ...common,
          authorizationCode: code,
          iss: response.iss ?? undefined,
        })
      }
      const tokens = s.provider.storedTokens()
      if (tokens?.id_token) s.idToken = tokens.id_token
      const identity = identityFromTokens(tokens, s.provider.storedClient()?.client_id ?? null)
      if (identity) recorder.set({ identity })
      recorder.set({ state: 'connected', error: null, authorizationUrl: null })
    } catch (err) {
      throw failRunning(recorder, !!session?.chatgpt, err)
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
      const data = {
        status: response.status,
        wwwAuthenticate: response.headers.get('www-authenticate'),
        scope: challenge.scope ?? null,
        resourceMetadata: challenge.resourceMetadataUrl?.href ?? null,
      }
      if (step === 'challenge' && token)
        recorder.begin('challenge', { ...data, note: 'The server refused the current token.' })
      else recorder.succeed(step, data)
      if (challenge.resourceMetadataUrl) s.resourceMetadataUrl = challenge.resourceMetadataUrl
      await response.body?.cancel().catch(() => {})
      if (step === 'stepUp') {
        s.provider.clearTokens()
        await authorize(s, computeScopeUnion(s.requestedScope, challenge.scope), true)
      } else {
        // A refused token may mean the server moved to another issuer: read its metadata again.
        if (token) s.provider.forgetDiscovery()
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
      const wanted = startOptions.preRegistered ?? options.preRegistered
      if (JSON.stringify(wanted) !== JSON.stringify(preRegistered)) {
        // Other client credentials: a session of their own.
        preRegistered = wanted
        await closeSession()
      }
      recorder.reset()
      const s = await openSession(mcpUrl)
      asChatGpt = startOptions.asChatGpt ?? false
      s.authorizations = 0
      s.preferredScope = startOptions.scope
      s.prompt = startOptions.prompt
      s.chatgpt = null
      // Discovery is read again on every start: the issuer or the resource may have changed since.
      s.provider.forgetDiscovery()
      if (startOptions.prompt) s.provider.clearTokens()
      recorder.set({ state: 'running' })
      const client = new Client(
        { name: options.clientName ?? 'MCP Auth Workbench', version: '1.0.0' },
        { versionNegotiation: { mode: 'auto' } },
      )
      try {
        await client.connect(
          new StreamableHTTPClientTransport(new URL(mcpUrl), { fetch: authFetch }),
        )
        const tools = await client.listTools()
        if (!s.provider.storedTokens() && (startOptions.eager ?? true)) {
          recorder.succeed('challenge', {
            status: 200,
            note: 'The server let anonymous requests through; signing in from its well-known metadata.',
          })
          await authorize(s, startOptions.scope)
        }
        recorder.succeed('identity', { tools: tools.tools.map((t) => t.name) })
        if (recorder.state().state !== 'failed')
          recorder.set({ state: s.provider.storedTokens() ? 'connected' : 'idle' })
      } catch (err) {
        if (recorder.state().state !== 'failed') failRunning(recorder, !!session?.chatgpt, err)
      } finally {
        s.prompt = undefined
        await client.close().catch(() => {})
      }
      return recorder.state()
    },
    async stepUp(scope) {
      if (!session) throw new WorkbenchError('ERR_CONNECT_FAILED', 'Connect has not started.')
      recorder.succeed('stepUp', { scope })
      session.provider.clearTokens()
      session.authorizations = 0
      await authorize(session, computeScopeUnion(session.requestedScope, scope), true)
    },
    accessToken: async () => (session ? tokenFor(session) : null),
    async reset() {
      await closeSession()
      recorder.reset()
      await options.onSignOut?.()
      return recorder.state()
    },
    close: closeSession,
  }
}
