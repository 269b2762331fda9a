import type { ServerResponse } from 'node:http'

const MAX_CAPTURE = 64 * 1024

/**
 * Keeps a copy of what the response writes (up to 64 KiB) for the request log: JSON as is,
 * SSE as the JSON of its `data:` lines.
 */
export function captureResponseBody(res: ServerResponse): { body(): unknown } {
  const chunks: Buffer[] = []
  let size = 0
  const write = res.write.bind(res) as (...args: unknown[]) => boolean
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse
  const keep = (chunk: unknown, encoding?: unknown) => {
    if (chunk === undefined || chunk === null || typeof chunk === 'function' || size >= MAX_CAPTURE) return
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8') : Buffer.from(chunk as Uint8Array)
    chunks.push(buf)
    size += buf.length
  }
  res.write = ((chunk: unknown, ...rest: unknown[]) => {
    keep(chunk, rest[0])
    return write(chunk, ...rest)
  }) as ServerResponse['write']
  res.end = ((chunk?: unknown, ...rest: unknown[]) => {
    keep(chunk, rest[0])
    return end(chunk, ...rest)
  }) as ServerResponse['end']
  return {
    body() {
      if (size === 0) return null
      const text = Buffer.concat(chunks).toString('utf8').slice(0, MAX_CAPTURE)
      // Hono passes headers to writeHead directly, so getHeader() cannot tell SSE apart: the text can.
      if (/^(event|data|id|retry):/m.test(text.slice(0, 200))) {
        const messages = text.split('\n').filter((l) => l.startsWith('data:')).map((l) => parseJson(l.slice(5).trim()))
        return messages.length === 1 ? messages[0] : messages
      }
      return parseJson(text)
    },
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}
