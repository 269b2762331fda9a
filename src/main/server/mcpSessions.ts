import { randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Server } from '@modelcontextprotocol/sdk/server/index.js'
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js'
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js'
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js'
import { sendJsonRpcError } from './httpReplies'

interface Session {
  transport: StreamableHTTPServerTransport
  server: Server
  lastSeen: number
}

export interface McpSessions {
  handle(req: IncomingMessage & { auth?: AuthInfo }, res: ServerResponse, body: unknown): Promise<void>
  /** Sends notifications/tools/list_changed (and resources) to every connected session. */
  notifyListChanged(): void
  count(): number
  closeAll(): Promise<void>
}

export interface McpSessionsOptions {
  createServer(): Server
  /** Sessions kept at most; the least recently used is closed past it. Default 1000. */
  maxSessions?: number
  /** A session unused this long is closed, in milliseconds. Default 30 minutes. */
  idleMs?: number
}

/**
 * Stateful Streamable HTTP sessions, one SDK server each, reused across calls (no per-request server).
 * Replies stream as SSE: SDK 1.32's JSON-response mode keeps memory per request (typescript-sdk#2559).
 */
export function createMcpSessions(options: McpSessionsOptions): McpSessions {
  const sessions = new Map<string, Session>()
  const maxSessions = options.maxSessions ?? 1000
  const idleMs = options.idleMs ?? 30 * 60_000
  const sweeper = setInterval(() => {
    const cutoff = Date.now() - idleMs
    for (const [id, s] of sessions) if (s.lastSeen < cutoff) void close(id)
  }, Math.min(idleMs, 60_000))
  sweeper.unref()

  async function close(id: string): Promise<void> {
    const session = sessions.get(id)
    if (!session) return
    sessions.delete(id)
    await session.transport.close().catch(() => {})
    await session.server.close().catch(() => {})
  }

  async function open(req: IncomingMessage & { auth?: AuthInfo }, res: ServerResponse, body: unknown): Promise<void> {
    if (sessions.size >= maxSessions) {
      let oldest: [string, Session] | undefined
      for (const entry of sessions) if (!oldest || entry[1].lastSeen < oldest[1].lastSeen) oldest = entry
      if (oldest) await close(oldest[0])
    }
    const server = options.createServer()
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        sessions.set(id, { transport, server, lastSeen: Date.now() })
      },
      onsessionclosed: (id) => {
        sessions.delete(id)
      },
    })
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId)
    }
    await server.connect(transport)
    await transport.handleRequest(req, res, body)
  }

  return {
    async handle(req, res, body) {
      const header = req.headers['mcp-session-id']
      const id = Array.isArray(header) ? header[0] : header
      if (id) {
        const session = sessions.get(id)
        if (!session) return sendJsonRpcError(res, 404, -32001, 'Session not found: initialize a new session')
        session.lastSeen = Date.now()
        return session.transport.handleRequest(req, res, body)
      }
      if (req.method === 'POST' && isInitializeRequest(body)) return open(req, res, body)
      return sendJsonRpcError(res, 400, -32000, 'Bad Request: no valid Mcp-Session-Id; send initialize first')
    },
    notifyListChanged() {
      for (const { server } of sessions.values()) {
        void server.sendToolListChanged().catch(() => {})
        void server.sendResourceListChanged().catch(() => {})
      }
    },
    count: () => sessions.size,
    async closeAll() {
      clearInterval(sweeper)
      await Promise.all([...sessions.keys()].map(close))
    },
  }
}
