import {
  Agent,
  request,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
} from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'
import { createParser, type EventSourceMessage } from 'eventsource-parser'
import { createDeadlineSweep } from './deadlineSweep'
import { isJsonRpc, type JsonRpcMessage } from './jsonRpcShapes'

// Headers a client sends that never go upstream: hop-by-hop, the client's credentials, and ours.
const DROPPED_REQUEST_HEADERS = new Set([
  'host',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'te',
  'upgrade',
  'trailer',
  'proxy-authorization',
  'proxy-connection',
  'content-length',
  'authorization',
  'cookie',
  'origin',
  'referer',
  'mcp-session-id',
  'x-workbench-identity',
  'expect',
])

export const IDENTITY_HEADER = 'x-workbench-identity'
/** Largest JSON (not streamed) answer read from the upstream, in bytes. */
export const MAX_JSON_ANSWER_BYTES = 32 * 1024 * 1024

/** The client's request headers as the upstream gets them, with the identity and the upstream's session. */
export function upstreamHeaders(
  client: IncomingHttpHeaders,
  identity: string | null,
  sessionId: string | null,
): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {}
  for (const [name, value] of Object.entries(client))
    if (value !== undefined && !DROPPED_REQUEST_HEADERS.has(name)) out[name] = value
  if (identity) out[IDENTITY_HEADER] = identity
  if (sessionId) out['mcp-session-id'] = sessionId
  return out
}

export interface UpstreamHttp {
  send(
    method: string,
    headers: OutgoingHttpHeaders,
    body: string | null,
    signal: AbortSignal,
  ): Promise<IncomingMessage>
  /** Aborts with Error('timeout') after `ms` unless the returned function is called first (one sweep for all). */
  deadline(ms: number, abort: AbortController): () => void
  close(): void
}

/**
 * Keep-alive requests to one upstream URL, with sockets enough for many clients at once. Headers are handed to
 * node:http as a flat list (no per-header validation pass: they are the parsed client's, or ours).
 */
export function createUpstreamHttp(url: URL): UpstreamHttp {
  const https = url.protocol === 'https:'
  const agent = https
    ? new HttpsAgent({ keepAlive: true, maxSockets: 256 })
    : new Agent({ keepAlive: true, maxSockets: 256 })
  const send = https ? httpsRequest : request
  const base = {
    protocol: url.protocol,
    hostname: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port || (https ? 443 : 80),
    path: `${url.pathname}${url.search}`,
    agent,
  }
  const host = url.host
  const deadlines = createDeadlineSweep(() => 100)
  return {
    send(method, headers, body, signal) {
      return new Promise((resolve, reject) => {
        const list: string[] = ['host', host]
        for (const name in headers) {
          const value = headers[name]
          if (value === undefined || name === 'host' || name === 'content-length') continue
          if (Array.isArray(value)) for (const v of value) list.push(name, v)
          else list.push(name, String(value))
        }
        if (body !== null) list.push('content-length', String(Buffer.byteLength(body)))
        const req = send({ ...base, method, headers: list })
        if (signal.aborted) req.destroy(signal.reason as Error)
        const abort = () => req.destroy(signal.reason as Error)
        signal.addEventListener('abort', abort, { once: true })
        req.once('close', () => signal.removeEventListener('abort', abort))
        req.on('response', (response) => {
          // A response to an aborted request ends with it (the request's abort destroys the socket).
          resolve(response)
        })
        req.on('error', reject)
        req.end(body ?? undefined)
      })
    },
    deadline: (ms, abort) => deadlines.add(ms, () => abort.abort(new Error('timeout'))),
    close() {
      deadlines.stop()
      agent.destroy()
    },
  }
}

export function isEventStream(response: IncomingMessage): boolean {
  return /text\/event-stream/i.test(response.headers['content-type'] ?? '')
}

/** Reads a JSON answer whole (bounded); throws with the cause when it is not JSON-RPC. */
export async function readJsonMessage(response: IncomingMessage): Promise<JsonRpcMessage> {
  const text = await readText(response, MAX_JSON_ANSWER_BYTES)
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw new Error(
      `answered HTTP ${response.statusCode} with a body that is not JSON: ${JSON.stringify(text.slice(0, 120))}`,
    )
  }
  if (!isJsonRpc(parsed))
    throw new Error(
      `answered HTTP ${response.statusCode} with JSON that is not a JSON-RPC 2.0 message`,
    )
  return parsed
}

export async function readText(response: IncomingMessage, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of response as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > maxBytes) {
      response.destroy()
      throw new Error(`answered with more than ${maxBytes} bytes`)
    }
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}

export interface SseEvent {
  raw: EventSourceMessage
  message: JsonRpcMessage
}

/**
 * Calls `onEvent` for each SSE event of an upstream stream as it arrives, with its JSON-RPC message decoded
 * (the original data string is kept so it can be forwarded unchanged). Resolves when the stream ends.
 */
export function readEvents(
  response: IncomingMessage,
  onEvent: (event: SseEvent) => void,
  onMalformed: (why: string) => void,
): Promise<void> {
  const parser = createParser({
    onEvent(raw) {
      if (!raw.data) return
      let message: unknown
      try {
        message = JSON.parse(raw.data)
      } catch {
        return onMalformed(
          `sent an SSE event that is not JSON: ${JSON.stringify(raw.data.slice(0, 120))}`,
        )
      }
      if (!isJsonRpc(message))
        return onMalformed('sent an SSE event that is not a JSON-RPC 2.0 message')
      onEvent({ raw, message })
    },
  })
  response.setEncoding('utf8')
  return new Promise((resolve) => {
    response.on('data', (chunk: string) => parser.feed(chunk))
    response.on('end', () => resolve())
    response.on('close', () => resolve())
    response.on('error', () => resolve())
  })
}

/** An SSE event as written to the client; `data` may be the upstream's original string. */
export function formatEvent(data: string, id?: string, event?: string): string {
  const lines = /[\r\n]/.test(data)
    ? data
        .split(/\r\n|\r|\n/)
        .map((l) => `data: ${l}`)
        .join('\n')
    : `data: ${data}`
  return `event: ${event ?? 'message'}\n${id ? `id: ${id}\n` : ''}${lines}\n\n`
}
