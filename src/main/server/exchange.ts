import type { JSONRPCMessage, RequestId } from '@modelcontextprotocol/server'
import type { DecodedToken } from '../../shared/events'
import type { UpstreamLegEvent } from '../../shared/gateway'
import type { AccessToken } from '../auth/accessToken'
import type { WidgetCallDecision } from '../auth/authorizeWidgetCall'
import type { EffectiveMode } from '../widgets/widgetAuth'
import type { WidgetDefinition } from '../widgets/widgetDefinition'

/** What the Authorization header proved, decided once before anything is dispatched. */
export type Authentication =
  | { kind: 'none' }
  | { kind: 'ignored'; decoded: DecodedToken | null }
  | { kind: 'verified'; token: AccessToken; decoded: DecodedToken }
  | {
      kind: 'refused'
      error: 'invalid_request' | 'invalid_token'
      /** Public, in the challenge. */
      description: string
      /** Private, for the log. */
      reason: string
      reasonCode: string
      claim: string | null
      decoded: DecodedToken | null
    }

/** What the JSON-RPC call may do, decided once from the authentication and the widget's live mode. */
export type Authorization =
  | { kind: 'not-a-tool-call' }
  | { kind: 'unknown-tool'; tool: string }
  | {
      kind: 'widget'
      tool: string
      widget: WidgetDefinition
      mode: EffectiveMode
      decision: WidgetCallDecision
    }
  /** Gateway mode: a tool of the upstream, decided with the same rules as a local widget. */
  | { kind: 'upstream'; tool: string; mode: EffectiveMode; decision: WidgetCallDecision }

/** One JSON-RPC request on its way through a widget server: the decision it carries, the replies it got. */
export interface Exchange {
  authentication: Authentication
  authorization: Authorization
  /** Messages the server sent for this request (its response last), as the transport handed them on. */
  sent: JSONRPCMessage[]
  /** Why an authorized widget call still failed (bad arguments, a throw, a timeout), for the log. */
  failure?: string
  /** A failed handler's stack trace, for the request detail only (never sent to the caller). */
  errorStack?: string
  /** The JSON-RPC error answered before any server saw the message (no session, bad headers). */
  refusal?: { code: number; message: string }
  /** Gateway mode: what went to the upstream and how it answered. */
  upstream?: UpstreamLegEvent
}

/** The token the handlers see: only a verified one. */
export function verifiedToken(authentication: Authentication): AccessToken | null {
  return authentication.kind === 'verified' ? authentication.token : null
}

/** Exchanges in flight on one server instance, keyed by JSON-RPC id (unique per session or request). */
export type ExchangeTable = Map<RequestId, Exchange>

/** The JSON-RPC id of a request body; undefined for notifications, responses and non-messages. */
export function requestIdOf(body: unknown): RequestId | undefined {
  if (!body || typeof body !== 'object' || !('method' in body) || !('id' in body)) return undefined
  const id = (body as { id: unknown }).id
  return typeof id === 'string' || typeof id === 'number' ? id : undefined
}
