import type { IncomingMessage, ServerResponse } from 'node:http'
import { noteBodySize } from '../log/heapPolicy'

/** Why a request body was not read: too large, nested too deep, or not JSON. */
export class BodyError extends Error {
  constructor(
    readonly kind: 'too_large' | 'too_deep' | 'malformed',
    message: string,
    /** The text that was read (within the size limit), for the log; absent when too large. */
    readonly text?: string,
  ) {
    super(message)
    this.name = 'BodyError'
  }
}

export interface BodyLimits {
  /** Largest body accepted, in bytes. */
  maxBytes: number
  /** Deepest nesting of arrays and objects accepted when parsed as JSON. */
  maxDepth?: number
}

/** Reads the whole body, refusing past `maxBytes` without buffering the rest (never truncates). */
export function readBody(req: IncomingMessage, limits: BodyLimits): Promise<Buffer> {
  const declared = Number(req.headers['content-length'])
  const tooLarge = () => new BodyError('too_large', `Request body over ${limits.maxBytes} bytes`)
  if (Number.isFinite(declared) && declared > limits.maxBytes) {
    req.resume()
    return Promise.reject(tooLarge())
  }
  // Listeners rather than `for await`: no async iterator and promise per chunk on every request.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const settle = (error: Error | null) => {
      req.off('data', onData).off('end', onEnd).off('error', settle).off('close', onClose)
      if (error) reject(error)
      else resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size))
    }
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size <= limits.maxBytes) return void chunks.push(chunk)
      settle(tooLarge())
      // The rest is drained unread, so the refusal can still be sent.
      req.resume()
    }
    const onEnd = () => settle(null)
    const onClose = () => settle(new BodyError('malformed', 'the client closed the request body'))
    req.on('data', onData).once('end', onEnd).once('error', settle).once('close', onClose)
  })
}

/** Reads and parses a JSON body within the size and depth limits (depth checked before parsing). */
export async function readJsonBody(req: IncomingMessage, limits: BodyLimits): Promise<unknown> {
  const body = await readBody(req, limits)
  noteBodySize(body.length)
  const text = body.toString('utf8')
  return parseJsonWithin(text, limits.maxDepth ?? DEFAULT_MAX_JSON_DEPTH)
}

export const DEFAULT_MAX_JSON_DEPTH = 64

/** `JSON.parse`, refusing text whose arrays/objects nest deeper than `maxDepth`. */
export function parseJsonWithin(text: string, maxDepth: number): unknown {
  const depth = jsonDepth(text)
  if (depth > maxDepth) {
    throw new BodyError('too_deep', `JSON nested deeper than ${maxDepth} levels`, text)
  }
  try {
    return JSON.parse(text)
  } catch {
    throw new BodyError('malformed', 'the body is not valid JSON')
  }
}

/** Deepest bracket nesting outside strings, in one linear scan (no recursion, no allocation). */
function jsonDepth(text: string): number {
  let depth = 0
  let deepest = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c) i++
      else if (c === 0x22) inString = false
    } else if (c === 0x22) inString = true
    else if (c === 0x7b || c === 0x5b) deepest = Math.max(deepest, ++depth)
    else if (c === 0x7d || c === 0x5d) depth--
  }
  return deepest
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  sendJsonText(res, status, JSON.stringify(body), headers)
}

/** JSON already serialized (for callers that serialize with their own fallback). */
export function sendJsonText(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) return void res.end()
  res.writeHead(status, {
    'content-type': 'application/json',
    'cache-control': 'no-store',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  })
  res.end(text)
}

/** A JSON-RPC error response (the request could not be read or was refused before dispatch). */
export function sendJsonRpcError(
  res: ServerResponse,
  status: number,
  code: number,
  message: string,
  headers: Record<string, string> = {},
  id: string | number | null = null,
): void {
  sendJson(res, status, { jsonrpc: '2.0', id, error: { code, message } }, headers)
}

/** Hostname of a Host header value or URL host (`[::1]:8001` → `::1`, `Example.test:80` → `example.test`). */
export function hostnameOf(host: string): string {
  if (host.startsWith('[')) return host.slice(1, host.indexOf(']')).toLowerCase()
  const colon = host.lastIndexOf(':')
  return (colon > -1 && host.indexOf(':') === colon ? host.slice(0, colon) : host).toLowerCase()
}

/**
 * Strict: a name that only ever reaches this machine (`localhost`, 127.0.0.0/8, `::1`).
 * Accepts bracketed IPv6. The wildcard addresses `0.0.0.0` and `::` are NOT loopback.
 */
export function isLoopbackHostname(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase()
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h)
}

/** A socket's remote address on this machine (IPv4-mapped loopback included). */
export function isLoopbackPeer(address: string | undefined): boolean {
  return !!address && (isLoopbackHostname(address) || /^::ffff:127\./.test(address))
}

/** A bind address meaning "every interface" (`0.0.0.0`, `::`, empty): it names no host a client can use. */
export function isWildcardAddress(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '')
  return h === '' || h === '0.0.0.0' || h === '::'
}

/** Lenient: loopback, or a wildcard bind address, which listens on loopback too. */
export function isLoopbackOrWildcardHost(host: string): boolean {
  return isWildcardAddress(host) || isLoopbackHostname(host)
}

/** The loopback name to dial for a bind address: wildcards become a concrete loopback address. */
export function loopbackFor(bindHost: string): string {
  if (bindHost === '0.0.0.0' || bindHost === '') return '127.0.0.1'
  if (bindHost === '::' || bindHost === '[::]') return '[::1]'
  return bindHost.includes(':') && !bindHost.startsWith('[') ? `[${bindHost}]` : bindHost
}
