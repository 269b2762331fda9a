import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http'
import { decodeJwt, decodeProtectedHeader } from 'jose'
import type { DecodedToken, Identity, RequestEvent } from '../../shared/events'
import type { TokenVerifier } from '../auth/accessToken'
import { bearerChallenge } from '../auth/challenge'
import type { RequestLog } from '../log/requestLog'
import { redactHeaders, tokenFingerprint } from '../log/redact'
import type { HttpMount } from './httpMount'
import { sendJson, sendJsonRpcError } from './httpReplies'
import type { McpSessions } from './mcpSessions'
import { captureResponseBody } from './captureResponseBody'
import { createRequestContext, toAuthInfo, type RequestContext } from './requestContext'
import { readBody, BodyTooLargeError } from './readBody'

export interface McpHttpServerDeps {
  sessions: McpSessions
  log: RequestLog
  /** Null when auth is off: tokens are then ignored. */
  verifier(): Promise<TokenVerifier | null>
  isAllowedHost(host: string | undefined): boolean
  isAllowedOrigin(origin: string): boolean
  isPublicHost(host: string | undefined): boolean
  resourceMetadataUrl(): string
  /** RFC 9728 document; null when auth is off. */
  protectedResourceMetadata(): Promise<Record<string, unknown> | null>
  /** The issuer's RFC 8414 metadata, for clients that look on the resource's origin; null when unknown. */
  authorizationServerMetadata(path: string): Promise<Record<string, unknown> | null>
  mounts(): HttpMount[]
  /** Maximum request body, in bytes. Default 1 MiB. */
  maxBodyBytes?: number
}

const MCP_PATH = '/mcp'
const PRM_PATHS = new Set(['/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/mcp'])
const CORS_ALLOW_HEADERS = 'Authorization, Content-Type, Accept, Mcp-Session-Id, MCP-Protocol-Version, Last-Event-ID'
const CORS_EXPOSE_HEADERS = 'Mcp-Session-Id, WWW-Authenticate, MCP-Protocol-Version'

/** The MCP endpoint, the well-known metadata and the mounted issuer on one node:http server; one log event per request. */
export function createMcpHttpServer(deps: McpHttpServerDeps): HttpServer {
  const maxBodyBytes = deps.maxBodyBytes ?? 1024 * 1024
  return createServer((req, res) => {
    const started = performance.now()
    const time = Date.now()
    const ctx = createRequestContext()
    const record: { rpc?: unknown } = {}
    const captured = captureResponseBody(res)
    let logged = false
    const finish = () => {
      if (logged) return
      logged = true
      deps.log.append(buildEvent(req, res, ctx, record, captured.body(), time, performance.now() - started, deps.isPublicHost(req.headers.host)))
    }
    res.on('finish', finish)
    res.on('close', finish)
    handle(req, res, ctx, record).catch((err: unknown) => {
      ctx.verdict = 'error'
      ctx.reason = `internal error: ${err instanceof Error ? err.message : String(err)}`
      if (!res.headersSent) sendJsonRpcError(res, 500, -32603, 'Internal server error')
      else res.end()
    })
  })

  async function handle(req: IncomingMessage, res: ServerResponse, ctx: RequestContext, record: { rpc?: unknown }): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const path = url.pathname
    if (!deps.isAllowedHost(req.headers.host)) return forbid(res, ctx, `Host ${req.headers.host ?? '(none)'} is not allowed (DNS rebinding protection)`)
    const origin = req.headers.origin
    const wellKnown = path.startsWith('/.well-known/')
    const mount = deps.mounts().find((m) => path === m.prefix || path.startsWith(`${m.prefix}/`))
    // Sign-in form posts may carry `Origin: null` (privacy-sensitive contexts); the issuer checks its own CSRF state.
    const originOk = !origin || deps.isAllowedOrigin(origin) || (mount !== undefined && origin === 'null')
    if (!wellKnown && !originOk) return forbid(res, ctx, `Origin ${origin} is not allowed`)

    if (wellKnown) return serveWellKnown(req, res, path, ctx)
    if (mount) {
      ctx.verdict = 'anonymous'
      ctx.reason = `authorization server (${mount.prefix})`
      return mount.handle(req, res)
    }
    if (path !== MCP_PATH) {
      ctx.verdict = 'anonymous'
      ctx.reason = 'not an MCP path'
      if (path === '/') return sendJson(res, 200, { name: 'MCP Auth Workbench', mcp: MCP_PATH, protectedResourceMetadata: '/.well-known/oauth-protected-resource' })
      return sendJson(res, 404, { error: 'not_found', message: `Nothing at ${path}. The MCP endpoint is ${MCP_PATH}.` })
    }

    if (origin) setCors(res, origin)
    if (req.method === 'OPTIONS') {
      ctx.verdict = 'anonymous'
      ctx.reason = 'CORS preflight'
      res.writeHead(204, { 'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS', 'access-control-allow-headers': CORS_ALLOW_HEADERS, 'access-control-max-age': '600' })
      return void res.end()
    }

    let body: unknown
    if (req.method === 'POST') {
      let text: string
      try {
        text = await readBody(req, maxBodyBytes)
      } catch (err) {
        if (err instanceof BodyTooLargeError) {
          ctx.verdict = 'forbidden'
          ctx.reason = `body over ${maxBodyBytes} bytes`
          return sendJsonRpcError(res, 413, -32600, `Request body too large (limit ${maxBodyBytes} bytes)`, { connection: 'close' })
        }
        throw err
      }
      try {
        body = JSON.parse(text)
      } catch {
        ctx.verdict = 'error'
        ctx.reason = 'malformed JSON'
        return sendJsonRpcError(res, 400, -32700, 'Parse error: the body is not valid JSON')
      }
      record.rpc = body
      if (Array.isArray(body)) {
        ctx.verdict = 'forbidden'
        ctx.reason = 'JSON-RPC batch refused'
        return sendJsonRpcError(res, 400, -32600, 'Invalid Request: JSON-RPC batches are not supported (removed in MCP 2025-06-18)')
      }
    }

    const authorized = await authenticate(req, res, ctx)
    if (!authorized) return
    if (ctx.verdict === null) {
      ctx.verdict = ctx.token ? 'allowed' : 'anonymous'
      ctx.reason = ctx.token ? 'token verified' : 'no token'
    }
    const withAuth = req as IncomingMessage & { auth?: ReturnType<typeof toAuthInfo> }
    withAuth.auth = toAuthInfo(ctx)
    await deps.sessions.handle(withAuth, res, body)
  }

  /** Verifies the bearer token if one is sent; a bad one is answered 401 whatever the request calls. */
  async function authenticate(req: IncomingMessage, res: ServerResponse, ctx: RequestContext): Promise<boolean> {
    const header = req.headers.authorization
    if (header === undefined) return true
    const verifier = await deps.verifier()
    const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header)
    if (!verifier) {
      ctx.verdict = 'anonymous'
      ctx.reason = 'auth is off: the Authorization header was ignored'
      if (match) ctx.decoded = decodeUnverified(match[1])
      return true
    }
    if (!match) {
      ctx.verdict = 'invalid_token'
      ctx.reason = 'the Authorization header is not "Bearer <token>"'
      ctx.reasonCode = 'ERR_AUTH_HEADER_MALFORMED'
      const challenge = bearerChallenge({ error: 'invalid_request', errorDescription: 'The Authorization header must be "Bearer <token>"', resourceMetadata: deps.resourceMetadataUrl() })
      sendJsonRpcError(res, 401, -32001, 'Unauthorized: malformed Authorization header', { 'www-authenticate': challenge })
      return false
    }
    const verdict = await verifier.verifyAccessToken(match[1])
    if (verdict.ok) {
      ctx.token = verdict.token
      ctx.decoded = { fingerprint: tokenFingerprint(match[1]), header: verdict.token.header, claims: verdict.token.claims }
      return true
    }
    ctx.decoded = decodeUnverified(match[1])
    ctx.verdict = 'invalid_token'
    ctx.reason = `${verdict.description} (${verdict.detail})`
    ctx.reasonCode = verdict.reason
    ctx.claim = verdict.claim
    const challenge = bearerChallenge({ error: 'invalid_token', errorDescription: verdict.description, resourceMetadata: deps.resourceMetadataUrl() })
    sendJsonRpcError(res, 401, -32001, `Unauthorized: ${verdict.description}`, { 'www-authenticate': challenge })
    return false
  }

  async function serveWellKnown(req: IncomingMessage, res: ServerResponse, path: string, ctx: RequestContext): Promise<void> {
    ctx.verdict = 'anonymous'
    ctx.reason = 'discovery metadata'
    const cors = { 'access-control-allow-origin': '*', 'access-control-allow-headers': 'Authorization, MCP-Protocol-Version' }
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { ...cors, 'access-control-allow-methods': 'GET, OPTIONS' })
      return void res.end()
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: 'method_not_allowed' }, { ...cors, allow: 'GET, OPTIONS' })
    if (PRM_PATHS.has(path)) {
      const metadata = await deps.protectedResourceMetadata()
      if (!metadata) return sendJson(res, 404, { error: 'not_found', message: 'Auth is off: this server is not a protected resource.' }, cors)
      return sendJson(res, 200, metadata, { ...cors, 'cache-control': 'no-store' })
    }
    if (path.startsWith('/.well-known/oauth-authorization-server') || path.startsWith('/.well-known/openid-configuration')) {
      const metadata = await deps.authorizationServerMetadata(path)
      if (metadata) return sendJson(res, 200, metadata, cors)
    }
    return sendJson(res, 404, { error: 'not_found' }, cors)
  }

  function setCors(res: ServerResponse, origin: string): void {
    res.setHeader('access-control-allow-origin', origin)
    res.setHeader('vary', 'Origin')
    res.setHeader('access-control-expose-headers', CORS_EXPOSE_HEADERS)
  }

  function forbid(res: ServerResponse, ctx: RequestContext, reason: string): void {
    ctx.verdict = 'forbidden'
    ctx.reason = reason
    sendJson(res, 403, { error: 'forbidden', message: reason })
  }
}

/** Header and claims of a token that failed verification, decoded with jose for the log only; never trusted. */
export function decodeUnverified(token: string): DecodedToken | null {
  try {
    return { fingerprint: tokenFingerprint(token), header: decodeProtectedHeader(token) as Record<string, unknown>, claims: decodeJwt(token) as Record<string, unknown> }
  } catch {
    return { fingerprint: tokenFingerprint(token), header: {}, claims: {} }
  }
}

function buildEvent(req: IncomingMessage, res: ServerResponse, ctx: RequestContext, record: { rpc?: unknown }, responseBody: unknown, time: number, latencyMs: number, viaPublicUrl: boolean): Omit<RequestEvent, 'id'> {
  const rpc = record.rpc && typeof record.rpc === 'object' && !Array.isArray(record.rpc) ? (record.rpc as { method?: unknown; id?: unknown; params?: { name?: unknown } }) : null
  const token = ctx.token
  const identity: Identity | null = token ? { subject: token.subject, clientId: token.clientId, scopes: token.scopes, name: typeof token.claims.name === 'string' ? token.claims.name : null } : null
  const status = res.statusCode
  let verdict = ctx.verdict ?? 'anonymous'
  if (status >= 500 && verdict !== 'error') verdict = 'error'
  return {
    time,
    method: req.method ?? 'GET',
    path: (req.url ?? '/').split('?')[0],
    status,
    latencyMs: Math.round(latencyMs * 100) / 100,
    rpcMethod: typeof rpc?.method === 'string' ? rpc.method : null,
    rpcId: typeof rpc?.id === 'string' || typeof rpc?.id === 'number' ? rpc.id : null,
    tool: ctx.tool ?? (rpc?.method === 'tools/call' && typeof rpc.params?.name === 'string' ? rpc.params.name : null),
    widgetMode: ctx.widgetMode,
    identity,
    verdict,
    reason: ctx.reason ?? '',
    reasonCode: ctx.reasonCode,
    claim: ctx.claim,
    token: ctx.decoded,
    requestHeaders: redactHeaders(req.headers),
    requestBody: record.rpc ?? null,
    responseBody,
    viaPublicUrl,
    ...(ctx.errorStack ? { errorStack: ctx.errorStack } : {}),
  }
}
