import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import type { AuditExchange } from '../../shared/audit'
import { redactWireHeaders, redactWireText } from './redactEvidence'

export interface WireOptions {
  /** Per-request timeout, in milliseconds. Default 10000. */
  timeoutMs?: number
  /** Longest body kept as evidence, in characters. Default 4000. */
  maxBodyChars?: number
  /**
   * Secrets to fingerprint in evidence besides those the log recognises (opaque tokens the user
   * supplied).
   */
  secrets?: () => string[]
  fetch?: typeof fetch
}

/** A fetch that records each exchange as evidence and gives every request a timeout. */
export interface Wire {
  fetch: typeof fetch
  /** Starts a new evidence list; exchanges from then on land in it. */
  capture(): AuditExchange[]
  /**
   * A request fetch cannot send (a foreign `Host` header), over node:http; recorded the same way.
   */
  raw(
    url: string,
    init: { method: string; headers: Record<string, string>; body?: string },
  ): Promise<RawResponse>
  /** The unredacted response text of an exchange, to check what the server echoed; never stored. */
  rawBody(exchange: AuditExchange): string | null
  /** Requests sent so far (the audit's politeness budget). */
  requestCount(): number
}

export interface RawResponse {
  status: number
  headers: Record<string, string>
  text: string
}

// The challenge as sent, for the checks that parse it (evidence holds the redacted copy); never
// stored.
const challenges = new WeakMap<AuditExchange, string>()

/** The response's WWW-Authenticate exactly as received, for parsing; null when there was none. */
export function challengeOf(exchange: AuditExchange): string | null {
  return challenges.get(exchange) ?? null
}

export function createWire(options: WireOptions = {}): Wire {
  const timeoutMs = options.timeoutMs ?? 10_000
  const maxBodyChars = options.maxBodyChars ?? 4000
  const baseFetch = options.fetch ?? globalThis.fetch
  let current: AuditExchange[] = []
  let count = 0
  const rawBodies = new WeakMap<AuditExchange, string>()

  // Redacted whole, then cut: a secret across the cut is still caught.
  const scrub = (text: string): string => {
    const out = redactWireText(text, options.secrets?.() ?? [])
    return out.length > maxBodyChars
      ? `${out.slice(0, maxBodyChars)}… (${out.length - maxBodyChars} more characters)`
      : out
  }
  const headersOf = (headers: Headers): Record<string, string> => {
    const all: Record<string, string | string[]> = {}
    headers.forEach((value, name) => {
      if (name !== 'set-cookie') all[name] = value
    })
    const cookies = headers.getSetCookie()
    if (cookies.length) all['set-cookie'] = cookies
    return redactWireHeaders(all, options.secrets?.() ?? [])
  }
  const bodyOf = (body: unknown): string | null => {
    if (body === undefined || body === null) return null
    if (typeof body === 'string') return scrub(body)
    if (body instanceof URLSearchParams) return scrub(body.toString())
    return '(binary body)'
  }

  /** Counts a request and starts its exchange in the current evidence list. */
  const record = (request: AuditExchange['request']): AuditExchange => {
    count++
    const exchange: AuditExchange = { request, response: null, error: null, ms: 0 }
    current.push(exchange)
    return exchange
  }

  const recordingFetch = async (
    input: string | URL | Request,
    init?: RequestInit,
  ): Promise<Response> => {
    const request = new Request(input, init)
    const exchange = record({
      method: request.method,
      url: scrub(request.url),
      headers: headersOf(request.headers),
      body: bodyOf(init?.body),
    })
    const started = performance.now()
    const signal = init?.signal
      ? AbortSignal.any([init.signal, AbortSignal.timeout(timeoutMs)])
      : AbortSignal.timeout(timeoutMs)
    try {
      const response = await baseFetch(input, { ...init, signal })
      exchange.response = {
        status: response.status,
        headers: headersOf(response.headers),
        body: null,
      }
      const challenge = response.headers.get('www-authenticate')
      if (challenge !== null) challenges.set(exchange, challenge)
      const streaming =
        request.method === 'GET' &&
        (response.headers.get('content-type') ?? '').includes('text/event-stream')
      if (streaming) {
        exchange.ms = Math.round(performance.now() - started)
        exchange.response.body = '(event stream left open; not read)'
        return response
      }
      // Read whole (bounded by the timeout) so the evidence holds the body even when the client
      // stops reading early.
      const text = await response.text()
      const headerValues: string[] = []
      response.headers.forEach((value) => headerValues.push(value))
      rawBodies.set(exchange, `${headerValues.join('\n')}\n${text}`)
      exchange.ms = Math.round(performance.now() - started)
      exchange.response.body = text === '' ? null : scrub(text)
      const empty = [101, 204, 205, 304].includes(response.status)
      return new Response(empty ? null : text, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      })
    } catch (err) {
      exchange.ms = Math.round(performance.now() - started)
      exchange.error = scrub(describeFetchError(err, timeoutMs))
      throw err
    }
  }

  return {
    fetch: recordingFetch as typeof fetch,
    capture() {
      current = []
      return current
    },
    raw(url, init) {
      const target = new URL(url)
      const exchange = record({
        method: init.method,
        url: scrub(url),
        headers: headersOf(new Headers(init.headers)),
        body: init.body ? scrub(init.body) : null,
      })
      const started = performance.now()
      const send = target.protocol === 'https:' ? httpsRequest : httpRequest
      return new Promise<RawResponse>((resolve, reject) => {
        const req = send(
          target,
          { method: init.method, headers: init.headers, timeout: timeoutMs },
          (res) => {
            const chunks: Buffer[] = []
            let size = 0
            res.on('data', (chunk: Buffer) => {
              size += chunk.length
              if (size <= 1024 * 1024) chunks.push(chunk)
            })
            res.on('end', () => {
              const text = Buffer.concat(chunks).toString('utf8')
              const headers: Record<string, string> = {}
              const all: Record<string, string | string[]> = {}
              for (const [name, value] of Object.entries(res.headers))
                if (value !== undefined) {
                  headers[name] = Array.isArray(value) ? value.join(', ') : value
                  all[name] = value
                }
              exchange.ms = Math.round(performance.now() - started)
              exchange.response = {
                status: res.statusCode ?? 0,
                headers: redactWireHeaders(all, options.secrets?.() ?? []),
                body: text === '' ? null : scrub(text),
              }
              rawBodies.set(exchange, text)
              if (headers['www-authenticate'] !== undefined)
                challenges.set(exchange, headers['www-authenticate'])
              resolve({ status: res.statusCode ?? 0, headers, text })
            })
            res.on('error', reject)
          },
        )
        req.on('timeout', () =>
          req.destroy(
            Object.assign(new Error(`no answer within ${timeoutMs} ms`), { name: 'TimeoutError' }),
          ),
        )
        req.on('error', (err) => {
          exchange.ms = Math.round(performance.now() - started)
          exchange.error = scrub(describeFetchError(err, timeoutMs))
          reject(err)
        })
        req.end(init.body)
      })
    },
    rawBody: (exchange) => rawBodies.get(exchange) ?? null,
    requestCount: () => count,
  }
}

export function describeFetchError(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } }
  if (e?.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`
  if (e?.cause?.code) return `${e.cause.code}: ${e.cause.message ?? e.message}`
  if (e?.cause?.message) return `${e.message}: ${e.cause.message}`
  return e?.message ?? String(err)
}
