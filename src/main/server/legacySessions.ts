import { randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import {
  isInitializeRequest,
  WebStandardStreamableHTTPServerTransport,
} from '@modelcontextprotocol/server'
import type { WidgetServer } from './createWidgetServer'
import { requestIdOf, type Exchange } from './exchange'
import { sendJsonRpcError } from '../http/httpHelpers'
import {
  MAX_GATEWAY_SESSIONS,
  MAX_SESSIONS_PER_SOURCE,
  sessionToClose,
  sweepIdle,
} from '../gateway/boundedSessions'
import { toWebRequest, writeResponse } from './webExchange'

interface Session {
  server: WidgetServer
  transport: WebStandardStreamableHTTPServerTransport
  lastSeen: number
  /** Signed in at least once on this session: evicted after anonymous ones. */
  signedIn: boolean
  source: string
}

/** The 2025-era leg: stateful sessions (`initialize`, `Mcp-Session-Id`, SSE GET stream). */
export interface LegacySessions {
  /** Serves one legacy request; `exchange` is filed under the message's JSON-RPC id. */
  handle(
    req: IncomingMessage,
    res: ServerResponse,
    body: unknown,
    exchange: Exchange,
    source: string,
  ): Promise<void>
  /** Sends notifications/tools/list_changed (and resources) to every session. */
  notifyListChanged(): void
  count(): number
  closeAll(): Promise<void>
}

export interface LegacySessionsOptions {
  createServer(): WidgetServer
  /** Sessions kept at most. Default 1000. */
  maxSessions?: number
  /** Sessions one source address may hold. Default 200 (a tunnel's traffic shares one source). */
  maxPerSource?: number
  /** A session unused this long is closed, in milliseconds. Default 30 minutes. */
  idleMs?: number
}

/**
 * One widget server per session, reused across its calls. Past a cap, anonymous sessions go first
 * (least recently used), then signed-in ones; a closed session's id answers the standard 404.
 */
export function createLegacySessions(options: LegacySessionsOptions): LegacySessions {
  const sessions = new Map<string, Session>()
  const maxSessions = options.maxSessions ?? MAX_GATEWAY_SESSIONS
  const maxPerSource = options.maxPerSource ?? MAX_SESSIONS_PER_SOURCE
  const stopSweep = sweepIdle(sessions, options.idleMs ?? 30 * 60_000, (id) => void close(id))

  async function close(id: string): Promise<void> {
    const session = sessions.get(id)
    if (!session) return
    sessions.delete(id)
    await session.transport.close().catch(() => {})
    await session.server.close().catch(() => {})
  }

  async function makeRoom(source: string): Promise<void> {
    const fromSource = [...sessions].filter(([, s]) => s.source === source)
    if (fromSource.length >= maxPerSource) await close(sessionToClose(fromSource)?.[0] ?? '')
    if (sessions.size >= maxSessions) await close(sessionToClose(sessions)?.[0] ?? '')
  }

  async function open(
    req: IncomingMessage,
    res: ServerResponse,
    body: unknown,
    exchange: Exchange,
    source: string,
  ) {
    await makeRoom(source)
    const server = options.createServer()
    const transport: WebStandardStreamableHTTPServerTransport =
      new WebStandardStreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        enableJsonResponse: true,
        onsessioninitialized: (id) => {
          sessions.set(id, {
            server,
            transport,
            lastSeen: Date.now(),
            signedIn: exchange.authentication.kind === 'verified',
            source,
          })
        },
        onsessionclosed: (id) => void sessions.delete(id),
      })
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId)
    }
    await server.connect(transport)
    await serve(server, transport, req, res, body, exchange)
  }

  return {
    async handle(req, res, body, exchange, source) {
      const id = headerValue(req.headers['mcp-session-id'])
      if (id) {
        const session = sessions.get(id)
        if (!session)
          return refuse(res, exchange, 404, -32001, 'Session not found: initialize a new session')
        session.lastSeen = Date.now()
        if (exchange.authentication.kind === 'verified') session.signedIn = true
        return serve(session.server, session.transport, req, res, body, exchange)
      }
      if (req.method === 'POST' && isInitializeRequest(body))
        return open(req, res, body, exchange, source)
      return refuse(
        res,
        exchange,
        400,
        -32000,
        'Bad Request: no valid Mcp-Session-Id; send initialize first',
      )
    },
    notifyListChanged() {
      for (const { server } of sessions.values()) {
        void server.sendToolListChanged().catch(() => {})
        void server.sendResourceListChanged().catch(() => {})
      }
    },
    count: () => sessions.size,
    async closeAll() {
      stopSweep()
      await Promise.all([...sessions.keys()].map(close))
    },
  }
}

async function serve(
  server: WidgetServer,
  transport: WebStandardStreamableHTTPServerTransport,
  req: IncomingMessage,
  res: ServerResponse,
  body: unknown,
  exchange: Exchange,
): Promise<void> {
  const id = requestIdOf(body)
  if (id !== undefined) server.exchanges.set(id, exchange)
  // The client leaving ends what it holds open (a GET stream, an SSE answer).
  const gone = new AbortController()
  res.once('close', () => res.writableFinished || gone.abort())
  try {
    const request = toWebRequest(req, req.method === 'GET' ? gone.signal : undefined)
    const response = await transport.handleRequest(request, { parsedBody: body })
    await writeResponse(res, response, gone.signal, exchange)
  } finally {
    const release = () => id !== undefined && server.exchanges.delete(id)
    if (res.writableEnded || res.destroyed) release()
    else res.once('close', release)
  }
}

function refuse(
  res: ServerResponse,
  exchange: Exchange,
  status: number,
  code: number,
  message: string,
) {
  exchange.refusal = { code, message }
  sendJsonRpcError(res, status, code, message)
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}
