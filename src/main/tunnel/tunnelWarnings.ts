/** ngrok's free dev domains, where browsers get an interstitial warning page before the content. */
const FREE_DOMAIN = /\.ngrok-free\.(app|dev)$|\.ngrok\.io$/i

export function isNgrokFreeDomain(url: string): boolean {
  try {
    return FREE_DOMAIN.test(new URL(url).hostname)
  } catch {
    return false
  }
}

/**
 * The interstitial matters only when a browser loads widget assets (scripts, styles, images) from the tunnel:
 * those requests cannot send `ngrok-skip-browser-warning` and get the warning page instead of the file.
 */
export function interstitialWarning(
  publicUrl: string,
  assetDomains: readonly string[],
): string | null {
  if (!isNgrokFreeDomain(publicUrl)) return null
  const host = new URL(publicUrl).hostname.toLowerCase()
  const fromTunnel = assetDomains.some((d) => domainMatches(d, host))
  if (!fromTunnel) return null
  return (
    `Widgets load assets from ${host}, a free ngrok domain: browsers get ngrok's warning page instead of those files. ` +
    'Inline the scripts and styles into the widget template, host the assets elsewhere, or use a paid ngrok domain or a custom public URL. ' +
    'For fetch() calls, send the header "ngrok-skip-browser-warning: 1".'
  )
}

function domainMatches(entry: string, host: string): boolean {
  const pattern = entry
    .trim()
    .toLowerCase()
    .replace(/^[a-z]+:\/\//, '')
    .replace(/[/:].*$/, '')
  if (pattern.startsWith('*.')) return host.endsWith(pattern.slice(1))
  return pattern === host
}
