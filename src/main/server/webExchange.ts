import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Exchange } from './exchange'

/**
 * A Node request as the web `Request` the SDK's entries take, the body already parsed (passed
 * apart). The credential stays behind: the pipeline has verified it, and the SDK never reads it.
 */
export function toWebRequest(req: IncomingMessage, signal?: AbortSignal): Request {
  return new Request(`http://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`, {
    method: req.method,
    headers: toHeaders(req.headers),
    ...(signal && { signal }),
  })
}

const SDK_SKIPS = new Set(['content-length', 'authorization', 'cookie'])

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

/** Node's request headers as a record for `Request` (cheaper than building a `Headers` twice). */
function toHeaders(headers: IncomingMessage['headers']): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || SDK_SKIPS.has(name) || name.startsWith(':')) continue
    out[name] = Array.isArray(value) ? value.join(', ') : value
  }
  return out
}

/** Writes a web Response to Node's: JSON in one write, SSE streamed until the client goes. */
export async function writeResponse(
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
