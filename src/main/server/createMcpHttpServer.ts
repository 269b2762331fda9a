import {
  createServer,
  type IncomingMessage,
  type Server as HttpServer,
  type ServerResponse,
} from 'node:http'
import type { TokenVerifier } from '../auth/accessToken'
import { bearerChallenge } from '../auth/challenge'
import { BodyError, readJsonBody, sendJson, sendJsonRpcError } from '../http/httpHelpers'
import type { RequestLog } from '../log/requestLog'
import { TRACE_HEADER } from '../log/requestTraces'
import { authenticateRequest } from './authenticateRequest'
import { authorizeRequest, type AuthorizeDeps } from './authorizeRequest'
import { buildRequestEvent, type Arrival, type Outcome } from './buildRequestEvent'
import { bodyRefusal, parseForLog, rpcError } from './bodyRefusal'
import { preflight, setCors } from './cors'
import type { Authentication, Exchange } from './exchange'
import type { GatewayDispatch } from '../gateway/gatewayDispatch'
import type { HttpMount } from './httpMount'
import type { LegacySessions } from './legacySessions'
import { MCP_PATH, notMcp, pathOf } from './mcpPaths'
import type { ModernEndpoint } from './modernEndpoint'
import { protocolOf } from './protocolOf'
import { serveWellKnown, type WellKnownDeps } from './serveWellKnown'
import { requestSource } from '../issuer/forwardedHeaders'

export interface McpHttpServerDeps extends AuthorizeDeps, WellKnownDeps {
  /** Gateway mode: the dispatch to the developer's own server; null or absent serves the widgets. */
  gateway?(): GatewayDispatch | null
  legacy: LegacySessions
  modern: ModernEndpoint
  log: RequestLog
  /** Null when auth is off: tokens are then ignored. */
  verifier(): Promise<TokenVerifier | null>
  isAllowedHost(host: string | undefined): boolean
  isAllowedOrigin(origin: string): boolean
  isPublicHost(host: string | undefined): boolean
  mounts(): HttpMount[]
  /** Maximum request body, in bytes. Default 1 MiB. */
  maxBodyBytes?: number
  /** Deepest JSON nesting accepted in a request body. Default 64. */
  maxJsonDepth?: number
}

/**
 * Every request on the MCP port, in one straight line:
 * route → authenticate → authorize the JSON-RPC call for its widget → dispatch (legacy session or
 * modern request) → record one event from those values and the messages the transport sent.
 */
export function createMcpHttpServer(deps: McpHttpServerDeps): HttpServer {
  const limits = { maxBytes: deps.maxBodyBytes ?? 1024 * 1024, maxDepth: deps.maxJsonDepth ?? 64 }

  return createServer((req, res) => {
    const arrival: Arrival = { time: Date.now(), started: performance.now(), path: pathOf(req) }
    let outcome: Outcome = { kind: 'answered', verdict: 'error', reason: 'no answer' }
    res.once('close', () => {
      const event = buildRequestEvent(
        req,
        res.statusCode,
        arrival,
        outcome,
        deps.isPublicHost(req.headers.host),
      )
      deps.log.append(event, req.headers[TRACE_HEADER])
    })
    handle(req, res, arrival.path, (next) => (outcome = next)).catch((err: unknown) => {
      const reason = `internal error: ${err instanceof Error ? err.message : String(err)}`
      if (outcome.kind === 'mcp') outcome.exchange.failure = reason
      else outcome = { kind: 'answered', verdict: 'error', reason }
      if (!res.headersSent) sendJsonRpcError(res, 500, -32603, 'Internal server error')
      else res.end()
    })
  })

  async function handle(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    record: (o: Outcome) => void,
  ) {
    // 1. Route: the door (Host, Origin), then metadata, the mounted issuer, or the MCP endpoint.
    const door = refusalAtDoor(req, path)
    if (door) {
      record({ kind: 'answered', verdict: 'forbidden', reason: door })
      return sendJson(res, 403, { error: 'forbidden', message: door })
    }
    if (path.startsWith('/.well-known/')) {
      record({ kind: 'answered', verdict: 'anonymous', reason: 'discovery metadata' })
      return serveWellKnown(req, res, path, deps)
    }
    const mount = mountFor(path)
    if (mount) {
      record({
        kind: 'answered',
        verdict: 'anonymous',
        reason: `authorization server (${mount.prefix})`,
      })
      return mount.handle(req, res)
    }
    if (path !== MCP_PATH) {
      record({ kind: 'answered', verdict: 'anonymous', reason: 'not an MCP path' })
      return notMcp(res, path)
    }
    if (req.headers.origin) setCors(res, req.headers.origin)
    if (req.method === 'OPTIONS') {
      record({ kind: 'answered', verdict: 'anonymous', reason: 'CORS preflight' })
      return preflight(res)
    }
    const body = req.method === 'POST' ? await readMessage(req, res, record) : undefined
    if (body === REFUSED) return

    // The era the client speaks, as the SDK's classifier routes it (recorded on the event).
    const protocol = protocolOf(req, body)
    // 2. Authenticate: the Authorization header, verified once.
    const authentication = await authenticateRequest(
      req.headers.authorization,
      await deps.verifier(),
    )
    // 3. Authorize the JSON-RPC call for its widget (only tools/call is gated).
    const gateway = deps.gateway?.() ?? null
    const exchange: Exchange = {
      authentication,
      // In gateway mode the upstream's tools are decided at dispatch (their list lives upstream).
      authorization: gateway
        ? { kind: 'not-a-tool-call' }
        : authorizeRequest(body, authentication, deps),
      sent: [],
    }
    record({ kind: 'mcp', body, protocol, exchange })
    if (authentication.kind === 'refused') return refuseToken(res, authentication)

    // 4. Dispatch to the leg the client's era speaks (or to the upstream); the exchange carries the decision in.
    if (gateway) return gateway.dispatch(req, res, body, exchange)
    if (protocol.era === 'legacy')
      return deps.legacy.handle(req, res, body, exchange, sourceOf(req))
    return deps.modern.handle(req, res, body, exchange)
  }

  function refusalAtDoor(req: IncomingMessage, path: string): string | null {
    if (!deps.isAllowedHost(req.headers.host)) {
      return `Host ${req.headers.host ?? '(none)'} is not allowed (DNS rebinding protection)`
    }
    const origin = req.headers.origin
    if (!origin || path.startsWith('/.well-known/') || deps.isAllowedOrigin(origin)) return null
    // Sign-in form posts may carry `Origin: null`; the issuer checks its own CSRF state.
    if (origin === 'null' && mountFor(path)) return null
    return `Origin ${origin} is not allowed`
  }

  function mountFor(path: string): HttpMount | undefined {
    return deps.mounts().find((m) => path === m.prefix || path.startsWith(`${m.prefix}/`))
  }

  /** The JSON-RPC message in the body, or REFUSED once the refusal has been answered and recorded. */
  async function readMessage(
    req: IncomingMessage,
    res: ServerResponse,
    record: (o: Outcome) => void,
  ) {
    let body: unknown
    try {
      body = await readJsonBody(req, limits)
    } catch (err) {
      if (!(err instanceof BodyError)) throw err
      // Too deep to dispatch, not to log: JSON.parse is iterative, and the log cuts the nesting.
      const logged = err.kind === 'too_deep' ? parseForLog(err.text) : undefined
      const refusal = bodyRefusal(err, logged)
      record({
        kind: 'answered',
        verdict: refusal.verdict,
        reason: err.message,
        body: logged,
        reply: refusal.reply,
      })
      sendJson(
        res,
        refusal.status,
        refusal.reply,
        refusal.status === 413 ? { connection: 'close' } : {},
      )
      return REFUSED
    }
    if (Array.isArray(body)) {
      const reply = rpcError(
        -32600,
        'Invalid Request: JSON-RPC batches are not supported (removed in MCP 2025-06-18)',
      )
      record({
        kind: 'answered',
        verdict: 'forbidden',
        reason: 'JSON-RPC batch refused',
        body,
        reply,
      })
      sendJson(res, 400, reply)
      return REFUSED
    }
    return body
  }

  function refuseToken(
    res: ServerResponse,
    authn: Extract<Authentication, { kind: 'refused' }>,
  ): void {
    const resourceMetadata = deps.resourceMetadataUrl()
    const challenge = bearerChallenge({
      error: authn.error,
      errorDescription: authn.description,
      resourceMetadata,
    })
    const message =
      authn.error === 'invalid_request' ? 'malformed Authorization header' : authn.description
    sendJsonRpcError(res, 401, -32001, `Unauthorized: ${message}`, {
      'www-authenticate': challenge,
    })
  }
}

const REFUSED = Symbol('refused')

/** Per-source session caps count tunnel callers apart (the agent's X-Forwarded-For), not as one. */
function sourceOf(req: IncomingMessage): string {
  return requestSource(req)
}
