import type { IncomingMessage, ServerResponse } from 'node:http'
import {
  createMcpHandler,
  type McpRequestContext,
  type RequestId,
} from '@modelcontextprotocol/server'
import type { WidgetServer } from './createWidgetServer'
import { requestIdOf, type Exchange } from './exchange'

/** The 2026-07-28 leg: stateless requests, `server/discover`, header validation, `subscriptions/listen`. */
export interface ModernEndpoint {
  handle(
    req: IncomingMessage,
    res: ServerResponse,
    body: unknown,
    exchange: Exchange,
  ): Promise<void>
  /** Publishes list changes on every open `subscriptions/listen` stream. */
  notifyListChanged(): void
  close(): Promise<void>
}

export interface ModernEndpointOptions {
  createServer(): WidgetServer
  /** Idle server instances kept for reuse. Default 64. */
  poolSize?: number
}

interface Pending {
  id: RequestId | undefined
  exchange: Exchange | null
  /** The instance the SDK was handed for this request. */
  server?: WidgetServer
}

/**
 * The SDK's modern entry, fed from a pool of widget servers: each request borrows an idle instance
 * (the SDK needs one not serving) and returns it when the exchange closes, so no server is built
 * per request once the pool is warm. Legacy traffic never reaches it (`legacy: 'reject'`).
 */
export function createModernEndpoint(options: ModernEndpointOptions): ModernEndpoint {
  const poolSize = options.poolSize ?? 64
  const idle: WidgetServer[] = []
  const pending = new WeakMap<Request, Pending>()

  /** Who holds each lent instance: only its holder's exchange may give it back. */
  const holders = new Map<WidgetServer, Pending>()
  const giveBack = (server: WidgetServer, holder: Pending) => {
    if (holders.get(server) !== holder) return
    holders.delete(server)
    server.exchanges.clear()
    if (idle.length < poolSize) idle.push(server)
  }

  function borrow(ctx: McpRequestContext): WidgetServer {
    const server = idle.pop() ?? options.createServer()
    const holder = (ctx.requestInfo && pending.get(ctx.requestInfo)) || {
      id: undefined,
      exchange: null,
    }
    holder.server = server
    holders.set(server, holder)
    if (holder.id !== undefined && holder.exchange) server.exchanges.set(holder.id, holder.exchange)
    server.onclose = () => giveBack(server, holder)
    return server
  }

  const handler = createMcpHandler(borrow, { legacy: 'reject' })

  return {
    async handle(req, res, body, exchange) {
      const abort = new AbortController()
      const lent: Pending = { id: requestIdOf(body), exchange }
      // Only a client that leaves early cancels the exchange: closing the instance it holds aborts
      // the handler. Only a listen stream, whose lifetime is the request's, needs a Request signal
      // (one costs undici a follower signal and a finalizer registration per request).
      res.once('close', () => {
        if (res.writableFinished) return
        abort.abort()
        if (lent.server && holders.get(lent.server) === lent) void lent.server.close()
      })
      const request = new Request(`http://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`, {
        method: req.method,
        headers: toHeaders(req.headers),
        ...(methodOf(body) === 'subscriptions/listen' && { signal: abort.signal }),
      })
      pending.set(request, lent)
      const response = await handler.fetch(request, { parsedBody: body })
      // An instance the SDK only read (subscriptions/listen) or refused never connects, so never closes.
      if (lent.server && !lent.server.transport) giveBack(lent.server, lent)
      await writeResponse(res, response, abort.signal, exchange)
    },
    notifyListChanged() {
      handler.notify.toolsChanged()
      handler.notify.resourcesChanged()
    },
    close: () => handler.close(),
  }
}

/** The error of a reply the SDK's entry built itself (its validation ladder): no transport carried it. */
function refusalIn(body: string): Exchange['refusal'] {
  try {
    const { error } = JSON.parse(body) as { error?: { code?: unknown; message?: unknown } }
    if (typeof error?.code === 'number' && typeof error.message === 'string') {
      return { code: error.code, message: error.message }
    }
  } catch {
    // Not JSON: the status alone tells the story.
  }
  return undefined
}

function methodOf(body: unknown): unknown {
  return body && typeof body === 'object' ? (body as { method?: unknown }).method : undefined
}

/** Node's request headers as a record for `Request` (cheaper than building a `Headers` twice). */
function toHeaders(headers: IncomingMessage['headers']): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || name.startsWith(':') || name === 'content-length') continue
    out[name] = Array.isArray(value) ? value.join(', ') : value
  }
  return out
}

/** Writes a web Response to Node's: JSON in one write, SSE streamed until the client goes. */
async function writeResponse(
  res: ServerResponse,
  response: Response,
  closed: AbortSignal,
  exchange: Exchange,
): Promise<void> {
  const headers = Object.fromEntries(response.headers)
  if (!response.body || !headers['content-type']?.startsWith('text/event-stream')) {
    // As text: Node then sends the head and the body in one write.
    const body = response.body ? await response.text() : undefined
    if (body && response.status >= 400 && exchange.sent.length === 0)
      exchange.refusal = refusalIn(body)
    if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body))
    res.writeHead(response.status, headers)
    return void res.end(body)
  }
  res.writeHead(response.status, headers)
  const reader = response.body.getReader()
  try {
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      const chunk = next.value
      if (closed.aborted) break
      if (!res.write(chunk)) {
        await new Promise<void>((resolve) => {
          res.once('drain', resolve)
          closed.addEventListener('abort', () => resolve(), { once: true })
        })
      }
    }
  } catch {
    // The stream ends when the client disconnects; nothing to answer.
  }
  void reader.cancel().catch(() => {})
  res.end()
}
