import type { IncomingMessage, ServerResponse } from 'node:http'
import {
  failureReply,
  isResponse,
  upstreamErrorOf,
  type JsonRpcId,
  type JsonRpcMessage,
} from './jsonRpcShapes'
import { replyJson } from './clientSink'
import type { RecordLeg } from './relayLeg'
import { formatEvent, readEvents } from './upstreamHttp'
import type { UpstreamLeg } from './upstreamRelay'

export interface EventAnswerDeps {
  label: string
  /** The client's request, whose answer ends the stream; null for a notification or a response. */
  request: (JsonRpcMessage & { id: JsonRpcId; method: string }) | null
  leg: RecordLeg
  /** The answer as the client gets it (tools/list rewritten). */
  rewrite(answer: JsonRpcMessage): JsonRpcMessage
  onToolsChanged(): void
  /** The client got its answer. */
  onAnswer(): void
  describe(err: unknown): string
  signal: AbortSignal
}

/** Relays an upstream's event stream to the client until the answer to its request, then ends it. */
export async function relayEventAnswer(
  response: IncomingMessage,
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  deps: EventAnswerDeps,
): Promise<UpstreamLeg> {
  const { request, leg } = deps
  const head = { ...headers, 'content-type': 'text/event-stream', 'cache-control': 'no-cache' }
  // The head leaves with the first event; an answer that comes first is the whole body, sized.
  const write = (event: string) => {
    if (!res.headersSent) res.writeHead(status, head)
    res.write(event)
  }
  const end = (event?: string) => {
    if (!res.headersSent)
      res.writeHead(status, { ...head, 'content-length': Buffer.byteLength(event ?? '') })
    res.end(event)
  }
  let answered: UpstreamLeg | null = null
  let malformed: string | null = null
  await readEvents(
    response,
    ({ raw, message: m }) => {
      if (res.writableEnded) return
      if (!request || !isResponse(m) || m.id !== request.id) {
        if (m.method === 'notifications/tools/list_changed') deps.onToolsChanged()
        return write(formatEvent(raw.data, raw.id, raw.event))
      }
      // The answer ends the client's stream at once (one write); the upstream's stream drains on its own.
      answered = leg(status, null, upstreamErrorOf(m), m)
      deps.onAnswer()
      const rewritten = deps.rewrite(m)
      const data = rewritten === m ? raw.data : JSON.stringify(rewritten)
      end(formatEvent(data, raw.id, raw.event))
    },
    (why) => {
      malformed ??= why
      response.destroy()
    },
  )
  if (request && !answered) {
    const cause =
      malformed ??
      (deps.signal.aborted
        ? deps.describe(deps.signal.reason)
        : 'the stream ended before the answer')
    const failed = leg(status, cause)
    if (!res.destroyed) end(formatEvent(JSON.stringify(failureReply(request, deps.label, cause))))
    return failed
  }
  if (answered) return answered
  const done = leg(status, null)
  end()
  return done
}

/** Replies with a message, or ends the event stream with it when the headers are already sent. */
export function replyOrEvent(
  res: ServerResponse,
  message: JsonRpcMessage,
  sessionId: string | null,
): void {
  if (res.headersSent) {
    if (!res.writableEnded) res.end(formatEvent(JSON.stringify(message)))
    return
  }
  replyJson(res, 200, message, sessionId ? { 'mcp-session-id': sessionId } : {})
}
