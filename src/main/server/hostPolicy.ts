import { hostnameOf, isLoopbackHostname, isWildcardAddress } from '../http/httpHelpers'

export interface HostPolicyInput {
  /** Public base URL (tunnel or custom domain), if any. */
  publicUrl: string | null
  /** The address the server binds. */
  bindHost: string
  allowedOrigins: string[]
}

/** DNS-rebinding protection: which Host and Origin values may reach the server. */
export function createHostPolicy(read: () => HostPolicyInput) {
  const publicHost = () => {
    const url = read().publicUrl
    return url ? new URL(url).host.toLowerCase() : null
  }
  return {
    isPublicHost(host: string | undefined): boolean {
      return !!host && host.toLowerCase() === publicHost()
    },
    isAllowedHost(host: string | undefined): boolean {
      if (!host) return false
      const name = hostnameOf(host)
      if (isLoopbackHostname(name)) return true
      if (host.toLowerCase() === publicHost()) return true
      const bind = hostnameOf(read().bindHost)
      return !isWildcardAddress(bind) && name === bind
    },
    isAllowedOrigin(origin: string): boolean {
      const { allowedOrigins, publicUrl } = read()
      if (allowedOrigins.includes(origin)) return true
      let url: URL
      try {
        url = new URL(origin)
      } catch {
        return false
      }
      if (
        (url.protocol === 'http:' || url.protocol === 'https:') &&
        isLoopbackHostname(url.hostname)
      )
        return true
      return !!publicUrl && url.origin === new URL(publicUrl).origin
    },
  }
}
