import type { ServerResponse } from 'node:http'
import type { UpstreamSession } from './httpExchange'
import type { JsonRpcMessage } from './jsonRpcShapes'

/** A client's session through the gateway to a Streamable HTTP upstream, and the upstream session it maps to. */
export interface Session extends UpstreamSession {
  /** Opened with a verified token: evicted after anonymous sessions. */
  signedIn?: boolean
  source?: string
  lastSeen: number
  streams: Set<AbortController>
  /** Open GET streams to the client, to add our own list_changed. */
  listeners: Set<ServerResponse>
}

export function newSession(
  init: JsonRpcMessage | null,
  signedIn?: boolean,
  source?: string,
): Session {
  return {
    source,
    upstreamId: null,
    init,
    lastSeen: Date.now(),
    signedIn,
    streams: new Set(),
    listeners: new Set(),
  }
}
