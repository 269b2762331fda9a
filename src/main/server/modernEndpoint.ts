import type { IncomingMessage, ServerResponse } from 'node:http'
import {
  createMcpHandler,
  type McpRequestContext,
  type RequestId,
} from '@modelcontextprotocol/server'
import type { WidgetServer } from './createWidgetServer'
import { requestIdOf, type Exchange } from './exchange'
import { toWebRequest, writeResponse } from './webExchange'

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
      const listen = methodOf(body) === 'subscriptions/listen'
      const request = toWebRequest(req, listen ? abort.signal : undefined)
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

function methodOf(body: unknown): unknown {
  return body && typeof body === 'object' ? (body as { method?: unknown }).method : undefined
}
