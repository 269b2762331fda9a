import type { FetchLike } from '@modelcontextprotocol/client'

const MAX_HOPS = 8

export type FollowResult =
  | { kind: 'redirected'; url: URL; hops: string[] }
  /** The server wants a person: a page to show, or a redirect somewhere we cannot follow. */
  | { kind: 'interactive'; status: number; hops: string[] }

/**
 * Follows the authorization request over HTTP, without cookies, as far as the server goes without a person:
 * a server that approves at once redirects straight to the redirect URI.
 */
export async function followAuthorization(
  authorizationUrl: URL,
  redirectUrl: string,
  fetchFn: FetchLike,
): Promise<FollowResult> {
  const target = new URL(redirectUrl)
  const hops: string[] = []
  let url = authorizationUrl
  for (let i = 0; i < MAX_HOPS; i++) {
    hops.push(url.origin + url.pathname)
    let response: Response
    try {
      response = await fetchFn(url, { redirect: 'manual', headers: { accept: 'text/html' } })
    } catch {
      return { kind: 'interactive', status: 0, hops }
    }
    await response.body?.cancel().catch(() => {})
    const location = response.headers.get('location')
    if (response.status < 300 || response.status >= 400 || !location)
      return { kind: 'interactive', status: response.status, hops }
    const next = new URL(location, url)
    if (next.origin === target.origin && next.pathname === target.pathname)
      return { kind: 'redirected', url: next, hops }
    // Only stay on the authorization server: anything else (an upstream identity provider) needs the browser.
    if (next.origin !== authorizationUrl.origin)
      return { kind: 'interactive', status: response.status, hops }
    url = next
  }
  return { kind: 'interactive', status: 0, hops }
}
