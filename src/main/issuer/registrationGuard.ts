import type { IncomingMessage, ServerResponse } from 'node:http'
import { requestSource } from './forwardedHeaders'
import { redirectUrisProblem } from './clientMetadataRules'

const MAX_BODY = 8 * 1024
const WINDOW_MS = 60_000

export interface RegistrationGuardOptions {
  perMinute(): number
}

/**
 * In front of dynamic client registration: a bounded body, a rate per source (the tunnel's
 * X-Forwarded-For when the peer is the local tunnel agent), and redirect URIs that are https or loopback.
 * Returns true when it answered the request itself; otherwise the body is left on `req.body` for oidc-provider.
 */
export function createRegistrationGuard(options: RegistrationGuardOptions) {
  const recent = new Map<string, number[]>()

  function limited(who: string): boolean {
    const now = Date.now()
    const times = (recent.get(who) ?? []).filter((t) => now - t < WINDOW_MS)
    if (times.length >= options.perMinute()) {
      recent.set(who, times)
      return true
    }
    times.push(now)
    recent.set(who, times)
    if (recent.size > 10_000) recent.delete(recent.keys().next().value as string)
    return false
  }

  return async function guard(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const refuse = (
      status: number,
      error: string,
      description: string,
      headers: Record<string, string> = {},
    ) => {
      res.writeHead(status, {
        'content-type': 'application/json',
        'cache-control': 'no-store',
        ...headers,
      })
      res.end(JSON.stringify({ error, error_description: description }))
      return true
    }
    if (limited(requestSource(req))) {
      return refuse(
        429,
        'too_many_requests',
        `More than ${options.perMinute()} registrations a minute from this address.`,
        { 'retry-after': '60' },
      )
    }
    if (Number(req.headers['content-length'] ?? 0) > MAX_BODY) {
      req.resume()
      return refuse(
        413,
        'invalid_client_metadata',
        `The registration body is larger than ${MAX_BODY / 1024} KiB.`,
      )
    }
    const chunks: Buffer[] = []
    let size = 0
    for await (const chunk of req) {
      size += (chunk as Buffer).length
      if (size > MAX_BODY)
        return refuse(
          413,
          'invalid_client_metadata',
          `The registration body is larger than ${MAX_BODY / 1024} KiB.`,
        )
      chunks.push(chunk as Buffer)
    }
    const body = Buffer.concat(chunks)
    let metadata: unknown
    try {
      metadata = JSON.parse(body.toString('utf8'))
    } catch {
      return refuse(400, 'invalid_client_metadata', 'The registration body is not JSON.')
    }
    if (metadata && typeof metadata === 'object') {
      const problem = redirectUrisProblem(metadata as Record<string, unknown>)
      if (problem) return refuse(400, 'invalid_redirect_uri', problem)
    }
    ;(req as IncomingMessage & { body?: Buffer }).body = body
    return false
  }
}
