const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]'])

/** True for a loopback listen address (the UI server refuses anything else). */
export function isLoopbackAddress(host: string): boolean {
  return host === '127.0.0.1' || host === '::1' || host === 'localhost'
}

/** True when a `Host` header names a loopback host on `port` (DNS-rebinding guard). */
export function isLoopbackHostHeader(host: string | undefined, port: number): boolean {
  if (!host) return false
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(host.toLowerCase())
  if (!match) return false
  return LOOPBACK_NAMES.has(match[1]) && Number(match[2] ?? 80) === port
}

/** True when an `Origin` header is the UI's own loopback origin on `port`. */
export function isLoopbackOrigin(origin: string, port: number): boolean {
  let url: URL
  try {
    url = new URL(origin)
  } catch {
    return false
  }
  return url.protocol === 'http:' && LOOPBACK_NAMES.has(url.hostname) && Number(url.port || 80) === port
}
