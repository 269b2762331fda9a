import type { ModernListeners } from './modernListeners'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { SessionLimits } from './boundedSessions'
import type { JsonRpcMessage } from './jsonRpcShapes'

/** What went to the upstream for one client request, and how it answered. */
export interface UpstreamLeg {
  /** The upstream's URL or command line. */
  target: string
  /** The upstream's HTTP status; null for stdio or when it never answered. */
  status: number | null
  /** From forwarding to the upstream's final answer, in milliseconds. */
  latencyMs: number
  /** Why the gateway could not get an answer (unreachable, timeout, crash, malformed, 5xx); null when it did. */
  error: string | null
  /** The upstream's own failure: a JSON-RPC error or a tool result with isError. */
  upstreamError: string | null
  /** The upstream's answer (with the client's id), for the request log. */
  answer?: JsonRpcMessage
}

export interface RelayCall {
  req: IncomingMessage
  res: ServerResponse
  /** The parsed body of a POST (one JSON-RPC message); undefined for GET and DELETE. */
  body: unknown
  /** The signed identity to forward; null for an anonymous caller. */
  identity: string | null
  /** The caller's token was verified: a session it opens is evicted after anonymous ones. */
  signedIn?: boolean
  /** Who sent it (peer address or the tunnel's caller): sessions are capped per source. */
  source?: string
  /** Told the leg before the client's answer ends, so the request's log event can include it. */
  onLeg?(leg: UpstreamLeg): void
  /**
   * The upstream restarted (it forgot the session) before the call reached it: may the call still go? False
   * when it was decided again and answered here instead.
   */
  stillAllowed?(): Promise<boolean>
}

export type RelayState = 'starting' | 'ready' | 'restarting' | 'failed' | 'stopped'

export interface RelayStatus {
  state: RelayState
  /** The last failure, naming the upstream and the cause. */
  error: string | null
  /** Pid of a stdio upstream while it runs. */
  pid: number | null
  restarts: number
  /** The last lines the stdio upstream wrote to stderr. */
  stderrTail: string[]
}

export interface UpstreamRelay {
  /** Relays one /mcp request; resolves when the client's answer is complete (null when nothing went upstream). */
  relay(call: RelayCall): Promise<UpstreamLeg | null>
  /** Sends one request on the gateway's own connection and returns the upstream's answer (errors as thrown). */
  request(method: string, params?: Record<string, unknown>): Promise<JsonRpcMessage>
  status(): RelayStatus
  /** Client sessions open (initialized and not yet closed). */
  sessionCount(): number
  /** Tells every client with an open GET stream that the tool list changed (modes did). */
  notifyToolsChanged(): void
  close(): Promise<void>
}

export interface RelayOptions {
  /** How messages and errors name the upstream. */
  label: string
  /** Longest wait for an upstream answer, in milliseconds. */
  timeoutMs(): number
  /** Rewrites a tools/list result on its way to the client. */
  rewriteToolsList(result: Record<string, unknown>): Record<string, unknown>
  /** The upstream said its tools changed. */
  onToolsChanged(): void
  onStatusChange(): void
  logLine(line: string): void
  /** 2026-07-28 `subscriptions/listen` streams; the gateway adds its own tools/list changes to them. */
  listenStreams?: ModernListeners
  /** Client sessions kept, overall and per source. Default 1000 and 200. */
  sessionLimits?: SessionLimits
}

/** A leg's error when its client left before the answer: no fault of the upstream. */
export const CLIENT_WENT_AWAY = 'the client went away before the answer'

/** The error a gateway failure becomes, naming the upstream and the cause. */
export class UpstreamFailure extends Error {
  constructor(
    readonly label: string,
    readonly reason: string,
    readonly status: number | null = null,
  ) {
    super(`Upstream ${label}: ${reason}`)
    this.name = 'UpstreamFailure'
  }
}
