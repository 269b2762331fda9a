import { hostnameOf, isLoopbackHostname } from '../http/httpHelpers'

/** True for a loopback listen address (the UI server refuses anything else, wildcards included). */
export function isLoopbackAddress(host: string): boolean {
  return isLoopbackHostname(host)
}

/** True when a `Host` header names a loopback host on `port` (DNS-rebinding guard). */
export function isLoopbackHostHeader(host: string | undefined, port: number): boolean {
  if (!host) return false
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(host)
  if (!match) return false
  return isLoopbackHostname(hostnameOf(match[1])) && Number(match[2] ?? 80) === port
}

/** True when an `Origin` header is the UI's own loopback origin on `port`. */
export function isLoopbackOrigin(origin: string, port: number): boolean {
  let url: URL
  try {
    url = new URL(origin)
  } catch {
    return false
  }
  return (
    url.protocol === 'http:' && isLoopbackHostname(url.hostname) && Number(url.port || 80) === port
  )
}
