import type { IncomingMessage } from 'node:http'
import type { JSONRPCMessage } from '@modelcontextprotocol/server'
import type { Identity, ProtocolUse, RequestEvent, Verdict } from '../../shared/events'
import type { AccessToken } from '../auth/accessToken'
import type { Authentication, Exchange } from './exchange'

/** What a request turned into, decided along the pipeline; the event is built from this alone. */
export type Outcome =
  /** Answered before authentication: not MCP (metadata, issuer, 404), or refused at the door. */
  | { kind: 'answered'; verdict: Verdict; reason: string; body?: unknown; reply?: unknown }
  /** An MCP request: how it authenticated, what it was allowed, what the server sent back. */
  | { kind: 'mcp'; body: unknown; protocol: ProtocolUse; exchange: Exchange; reply?: unknown }

export interface Arrival {
  time: number
  started: number
  /** Path as it arrived (mounts may rewrite `req.url`). */
  path: string
}

type EventInput = Omit<RequestEvent, 'id'>

export function buildRequestEvent(
  req: IncomingMessage,
  status: number,
  arrival: Arrival,
  outcome: Outcome,
  viaPublicUrl: boolean,
): EventInput {
  const common = {
    time: arrival.time,
    method: req.method ?? 'GET',
    path: arrival.path,
    status,
    latencyMs: Math.round((performance.now() - arrival.started) * 100) / 100,
    // Redacted with every other field when the log records the event.
    requestHeaders: req.headers as Record<string, string>,
    viaPublicUrl,
  }
  if (outcome.kind === 'answered') {
    return {
      ...common,
      ...rpcFields(outcome.body),
      tool: null,
      widgetMode: null,
      identity: null,
      token: null,
      reasonCode: null,
      claim: null,
      verdict: status >= 500 ? 'error' : outcome.verdict,
      reason: outcome.reason,
      requestBody: outcome.body ?? null,
      responseBody: outcome.reply ?? null,
      protocol: null,
    }
  }
  const { exchange, body } = outcome
  const response = exchange.sent.findLast((m) => 'id' in m && !('method' in m)) ?? null
  const judged = judge(exchange, response, status)
  const authn = exchange.authentication
  return {
    ...common,
    ...rpcFields(body),
    tool: exchange.authorization.kind === 'not-a-tool-call' ? null : exchange.authorization.tool,
    widgetMode:
      exchange.authorization.kind === 'widget' || exchange.authorization.kind === 'upstream'
        ? exchange.authorization.mode
        : null,
    identity: identityOf(authn),
    verdict: judged.verdict,
    reason: judged.reason,
    reasonCode: authn.kind === 'refused' ? authn.reasonCode : null,
    claim: authn.kind === 'refused' ? authn.claim : null,
    token: authn.kind === 'none' ? null : authn.decoded,
    requestBody: body ?? null,
    responseBody: response ?? refusalReply(exchange) ?? outcome.reply ?? null,
    protocol: outcome.protocol,
    ...(exchange.upstream ? { upstream: exchange.upstream } : {}),
    ...(exchange.errorStack ? { errorStack: exchange.errorStack } : {}),
  }
}

function judge(
  exchange: Exchange,
  response: JSONRPCMessage | null,
  status: number,
): { verdict: Verdict; reason: string } {
  const { authentication: authn, authorization } = exchange
  if (authn.kind === 'refused') return { verdict: 'invalid_token', reason: authn.reason }
  if (exchange.refusal && !response) {
    return { verdict: 'error', reason: `refused before dispatch: ${exchange.refusal.message}` }
  }
  const failure = exchange.failure ?? failureOf(response)
  if (authorization.kind === 'unknown-tool')
    return { verdict: 'error', reason: `unknown tool ${authorization.tool}` }
  if (authorization.kind === 'widget' || authorization.kind === 'upstream') {
    const { decision } = authorization
    if (decision.run && failure)
      return { verdict: 'error', reason: `${decision.reason}; ${failure}` }
    return { verdict: status >= 500 ? 'error' : decision.verdict, reason: decision.reason }
  }
  if (status >= 500) return { verdict: 'error', reason: failure ?? `HTTP ${status}` }
  if (authn.kind === 'verified') return { verdict: 'allowed', reason: 'token verified' }
  if (authn.kind === 'ignored')
    return { verdict: 'anonymous', reason: 'auth is off: the Authorization header was ignored' }
  return { verdict: 'anonymous', reason: 'no token' }
}

/** The error a response carries: a JSON-RPC error, or a tool result marked `isError`. */
function failureOf(response: JSONRPCMessage | null): string | null {
  if (!response) return null
  if ('error' in response) return response.error.message
  const result =
    'result' in response ? (response.result as { isError?: unknown; content?: unknown }) : null
  if (!result?.isError) return null
  const content = Array.isArray(result.content)
    ? (result.content as { type?: string; text?: string }[])
    : []
  return content.find((c) => c.type === 'text')?.text ?? 'tool error'
}

function refusalReply(exchange: Exchange) {
  return exchange.refusal ? { jsonrpc: '2.0', id: null, error: exchange.refusal } : null
}

/** One identity per verified token (the verifier returns the same object for a token it remembers). */
const identities = new WeakMap<AccessToken, Identity>()
function identityOf(authn: Authentication): Identity | null {
  if (authn.kind !== 'verified') return null
  const { token } = authn
  let identity = identities.get(token)
  if (!identity) {
    const name = typeof token.claims.name === 'string' ? token.claims.name : null
    identity = { subject: token.subject, clientId: token.clientId, scopes: token.scopes, name }
    identities.set(token, identity)
  }
  return identity
}

function rpcFields(body: unknown): { rpcMethod: string | null; rpcId: string | number | null } {
  const rpc =
    body && typeof body === 'object' && !Array.isArray(body)
      ? (body as { method?: unknown; id?: unknown })
      : null
  return {
    rpcMethod: typeof rpc?.method === 'string' ? rpc.method : null,
    rpcId: typeof rpc?.id === 'string' || typeof rpc?.id === 'number' ? rpc.id : null,
  }
}
