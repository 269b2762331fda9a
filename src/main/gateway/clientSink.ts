import type { ServerResponse } from 'node:http'

/** Where messages for one client request go: one JSON body, or an SSE stream that can carry several. */
export interface ClientSink {
  readonly sse: boolean
  /** `last` ends the reply with this message, in the same write. */
  send(message: unknown, last?: boolean): void
  end(): void
  readonly closed: boolean
}

/**
 * Opens the reply to a client's POST: SSE when the client accepts it (so progress and requests can flow). The
 * headers leave with the first event, so a call answered at once costs one write; `flush` sends them now.
 */
export function openClientSink(
  res: ServerResponse,
  acceptHeader: string | undefined,
  headers: Record<string, string>,
  flush = false,
): ClientSink {
  const sse = acceptHeader !== undefined && SSE.test(acceptHeader)
  let ended = false
  if (sse) {
    res.writeHead(200, {
      ...headers,
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    })
    if (flush) res.flushHeaders()
  }
  return {
    sse,
    get closed() {
      return ended || res.destroyed || res.writableEnded
    },
    send(message, last = false) {
      if (ended || res.writableEnded) return
      const json = JSON.stringify(message)
      if (sse) {
        const event = `event: message\ndata: ${json}\n\n`
        if (!last) return void res.write(event)
        ended = true
        return void res.end(event)
      }
      res.writeHead(200, {
        ...headers,
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(json),
      })
      res.end(json)
      ended = true
    },
    end() {
      if (ended) return
      ended = true
      if (!res.writableEnded) res.end()
    },
  }
}

/** A standalone GET stream: SSE for server messages outside any request. */
export function openEventStream(res: ServerResponse, headers: Record<string, string>): ClientSink {
  return openClientSink(res, 'text/event-stream', headers, true)
}

const SSE = /text\/event-stream/i

export function replyJson(
  res: ServerResponse,
  status: number,
  message: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) return void res.end()
  const json = JSON.stringify(message)
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(json),
  })
  res.end(json)
}

export function replyAccepted(res: ServerResponse, headers: Record<string, string> = {}): void {
  res.writeHead(202, headers)
  res.end()
}
