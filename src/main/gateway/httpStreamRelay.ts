import type { ServerResponse } from 'node:http'
import { replyJson } from './clientSink'
import { errorResponse, type JsonRpcId } from './jsonRpcShapes'
import {
  formatEvent,
  isEventStream,
  readEvents,
  upstreamHeaders,
  type UpstreamHttp,
} from './upstreamHttp'
import { legRecorder } from './relayLeg'
import type { RelayCall, UpstreamLeg } from './upstreamRelay'

/** What a client's GET stream needs of its session: the upstream's id and where open streams are kept. */
export interface StreamSession {
  upstreamId: string | null
  streams: Set<AbortController>
  listeners: Set<ServerResponse>
}

export interface StreamDeps {
  http: UpstreamHttp
  label: string
  describe(err: unknown): string
  onToolsChanged(): void
  logLine(line: string): void
  /** Drops the client session (after DELETE). */
  forget(sessionId: string): void
}

/**
 * A client's GET (server messages outside any request) or DELETE, relayed to the upstream session: events
 * pass as they come, and the upstream stream is closed when the client goes. The leg (status, time to the
 * upstream's answer or stream opening, failures) is recorded like a POST's.
 */
export async function relayStream(
  call: RelayCall,
  sessionId: string | null,
  session: StreamSession | undefined,
  deps: StreamDeps,
): Promise<UpstreamLeg | null> {
  const { http, label, describe } = deps
  const { req, res } = call
  const leg = legRecorder(call, label, performance.now())
  const abort = new AbortController()
  session?.streams.add(abort)
  res.on('close', () => {
    abort.abort()
    session?.streams.delete(abort)
  })
  try {
    const response = await http.send(
      req.method ?? 'GET',
      upstreamHeaders(req.headers, call.identity, session?.upstreamId ?? null),
      null,
      abort.signal,
    )
    const headers: Record<string, string> = sessionId ? { 'mcp-session-id': sessionId } : {}
    if (req.method === 'DELETE' && sessionId) deps.forget(sessionId)
    const status = response.statusCode ?? 502
    const refused = status >= 400 ? `answered ${req.method ?? 'GET'} with HTTP ${status}` : null
    const recorded = leg(status, status >= 500 ? refused : null, status < 500 ? refused : null)
    if (!isEventStream(response)) {
      res.writeHead(status, {
        ...headers,
        ...(response.headers['content-type']
          ? { 'content-type': response.headers['content-type'] }
          : {}),
      })
      response.pipe(res)
      return recorded
    }
    res.writeHead(status, {
      ...headers,
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
    })
    res.flushHeaders()
    session?.listeners.add(res)
    res.on('close', () => session?.listeners.delete(res))
    await readEvents(
      response,
      ({ raw, message }) => {
        if (message.method === 'notifications/tools/list_changed') deps.onToolsChanged()
        res.write(formatEvent(raw.data, raw.id, raw.event))
      },
      (why) => deps.logLine(`Upstream ${label} ${why}; dropped`),
    )
    res.end()
    return recorded
  } catch (err) {
    if (abort.signal.aborted) return null
    const cause = describe(err)
    replyJson(res, 502, errorResponse(null, -32603, `Upstream ${label}: ${cause}`))
    return leg(null, cause)
  }
}

/** Tells the upstream a request timed out here, so it can stop working on it. */
export async function cancelUpstream(
  http: UpstreamHttp,
  requestId: JsonRpcId,
  upstreamSession: string | null,
): Promise<void> {
  const note = JSON.stringify({
    jsonrpc: '2.0',
    method: 'notifications/cancelled',
    params: { requestId, reason: 'timed out at the Workbench' },
  })
  const response = await http
    .send(
      'POST',
      upstreamHeaders(
        { accept: 'application/json, text/event-stream', 'content-type': 'application/json' },
        null,
        upstreamSession,
      ),
      note,
      AbortSignal.timeout(5000),
    )
    .catch(() => null)
  response?.resume()
}
