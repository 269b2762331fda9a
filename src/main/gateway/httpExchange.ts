import { SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/client'
import { isResponse, upstreamErrorOf, type JsonRpcMessage } from './jsonRpcShapes'
import {
  isEventStream,
  readEvents,
  readJsonMessage,
  readText,
  upstreamHeaders,
  type UpstreamHttp,
} from './upstreamHttp'
import { UpstreamFailure } from './upstreamRelay'

/** An upstream session as the gateway holds it: the upstream's id and the initialize to replay. */
export interface UpstreamSession {
  upstreamId: string | null
  /** The client's initialize; null for the gateway's own session. */
  init: JsonRpcMessage | null
}

export interface HttpExchange {
  /** One request or notification on the gateway's own terms: the whole answer, or an UpstreamFailure. */
  exchange(
    message: JsonRpcMessage,
    sessionId: string | null,
    identity?: string | null,
  ): Promise<{ answer: JsonRpcMessage | null; sessionId: string | null; status: number }>
  /** (Re)initializes an upstream session, replaying the client's initialize when there was one. */
  initialize(session: UpstreamSession): Promise<void>
}

/** Whole exchanges with an HTTP upstream, for initialize, re-initialize and the gateway's own requests. */
export function createHttpExchange(
  http: UpstreamHttp,
  label: string,
  timeoutMs: () => number,
): HttpExchange {
  let nextInit = 1
  async function exchange(
    message: JsonRpcMessage,
    sessionId: string | null,
    identity: string | null = null,
  ): Promise<{ answer: JsonRpcMessage | null; sessionId: string | null; status: number }> {
    const headers = upstreamHeaders(
      {
        accept: 'application/json, text/event-stream',
        'content-type': 'application/json',
        'mcp-protocol-version': SUPPORTED_PROTOCOL_VERSIONS[0],
      },
      identity,
      sessionId,
    )
    const response = await http.send(
      'POST',
      headers,
      JSON.stringify(message),
      AbortSignal.timeout(timeoutMs()),
    )
    const status = response.statusCode ?? 0
    const newSession = (response.headers['mcp-session-id'] as string | undefined) ?? sessionId
    if (status === 202) {
      response.resume()
      return { answer: null, sessionId: newSession, status }
    }
    if (status === 404 && sessionId) {
      response.resume()
      throw new UpstreamFailure(label, 'forgot the session (HTTP 404)', 404)
    }
    if (status >= 400 && !/json/.test(response.headers['content-type'] ?? ''))
      throw new UpstreamFailure(
        label,
        `answered HTTP ${status}: ${(await readText(response, 4096)).slice(0, 200)}`,
        status,
      )
    let answer: JsonRpcMessage | null = null
    if (isEventStream(response)) {
      let malformed: string | null = null
      await readEvents(
        response,
        (e) => {
          if (isResponse(e.message) && e.message.id === message.id) {
            answer = e.message
            response.destroy()
          }
        },
        (why) => {
          malformed ??= why
          response.destroy()
        },
      )
      if (malformed && !answer) throw new UpstreamFailure(label, malformed, status)
    } else
      answer = await readJsonMessage(response).catch((err: Error) =>
        Promise.reject(new UpstreamFailure(label, err.message, status)),
      )
    if (!answer && 'id' in message)
      throw new UpstreamFailure(
        label,
        `the answer to ${String(message.method)} ended before any result`,
        status,
      )
    return { answer, sessionId: newSession, status }
  }

  async function initialize(session: UpstreamSession): Promise<void> {
    const init = session.init ?? {
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: {
        protocolVersion: SUPPORTED_PROTOCOL_VERSIONS[0],
        capabilities: {},
        clientInfo: { name: 'mcp-auth-workbench-gateway', version: '0.1.0' },
      },
    }
    const { answer, sessionId } = await exchange({ ...init, id: `wb-init-${nextInit++}` }, null)
    if (answer?.error)
      throw new UpstreamFailure(label, `initialize failed: ${upstreamErrorOf(answer)}`)
    session.upstreamId = sessionId
    await exchange({ jsonrpc: '2.0', method: 'notifications/initialized' }, sessionId)
  }

  return { exchange, initialize }
}
