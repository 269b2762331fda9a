import type { IncomingMessage } from 'node:http'
import { isLoopbackPeer } from '../http/httpHelpers'

/**
 * Who sent a request: the peer address, or for the local tunnel agent (a loopback peer) the
 * caller it appended last to X-Forwarded-For (earlier entries are the caller's own claims).
 */
export function requestSource(req: IncomingMessage): string {
  const peer = req.socket.remoteAddress ?? 'unknown'
  const forwarded = String(req.headers['x-forwarded-for'] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .at(-1)
  return isLoopbackPeer(peer) && forwarded ? forwarded : peer
}

/**
 * The issuer's URLs come from its configured public base URL, never from what a caller sends:
 * client-sent X-Forwarded-* headers are replaced by the configured origin before oidc-provider
 * (which trusts them, `proxy = true`) reads them. The tunnel still works, because its URL is the base URL.
 */
export function pinForwardedHeaders(req: IncomingMessage, baseUrl: string): void {
  const url = new URL(baseUrl)
  for (const name of ['x-forwarded-host', 'x-forwarded-proto', 'x-forwarded-port', 'forwarded'])
    delete req.headers[name]
  req.headers['x-forwarded-proto'] = url.protocol.slice(0, -1)
  req.headers['x-forwarded-host'] = url.host
}
