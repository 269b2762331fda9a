import { SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/client'
import type { ServerResponse } from 'node:http'
import { replyJson } from './clientSink'
import { errorResponse } from './jsonRpcShapes'
import type { RelayCall } from './upstreamRelay'

/**
 * The client session a call names (marked as seen), or `undefined` with none named; null when the id is
 * unknown, after answering 404 so the client initializes again (saying why, when it was closed to make room).
 */
export function findClientSession<S extends { lastSeen: number }>(
  call: RelayCall,
  sessions: Map<string, S>,
  whyClosed: (id: string) => string | undefined = () => undefined,
): { sessionId: string | null; session: S | undefined } | null {
  const header = call.req.headers['mcp-session-id']
  const sessionId = (Array.isArray(header) ? header[0] : header) ?? null
  const session = sessionId ? sessions.get(sessionId) : undefined
  if (sessionId && !session) {
    const why = whyClosed(sessionId)
    const reason = why ? ` (closed because ${why}; the least recently used goes first)` : ''
    replyJson(
      call.res,
      404,
      errorResponse(null, -32001, `Session not found${reason}: initialize a new session`),
    )
    return null
  }
  if (session) session.lastSeen = Date.now()
  return { sessionId, session }
}

/** Answers a body that is not one JSON-RPC message; null, as a relay returns when nothing went upstream. */
export function replyNotJsonRpc(res: ServerResponse): null {
  replyJson(res, 400, errorResponse(null, -32600, 'Invalid Request: not a JSON-RPC 2.0 message'))
  return null
}

/** The version a new client session speaks: the one it asked for if supported, else the upstream's. */
export function agreedVersion(asked: unknown, upstreamInit: Record<string, unknown>): unknown {
  return typeof asked === 'string' && SUPPORTED_PROTOCOL_VERSIONS.includes(asked)
    ? asked
    : upstreamInit.protocolVersion
}
