const REDIRECT = /^\/(?:callback|connector_platform_oauth_redirect|connector\/oauth\/[\w-]+)$/

/**
 * Drives the development issuer's sign-in and consent pages over plain HTTP with a cookie jar, the way a person
 * clicks through them: the first test user is pre-selected, `subject` picks another. Ends on the client's redirect URI.
 */
export async function signInOverHttp(
  authorizationUrl: string,
  options: {
    subject?: string
    deny?: boolean
    onPage?: (html: string) => void
    fetch?: typeof fetch
    jar?: Map<string, string>
  } = {},
): Promise<URL> {
  const fetch = options.fetch ?? globalThis.fetch
  const jar = options.jar ?? new Map<string, string>()
  const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ')
  const remember = (response: Response) => {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';')
      const eq = pair.indexOf('=')
      jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim())
    }
  }
  let url = new URL(authorizationUrl)
  let method = 'GET'
  let body: string | undefined
  for (let hop = 0; hop < 20; hop++) {
    const response = await fetch(url, {
      method,
      body,
      redirect: 'manual',
      headers: {
        cookie: cookieHeader(),
        ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
    })
    remember(response)
    const location = response.headers.get('location')
    if (location) {
      const next = new URL(location, url)
      if (next.hostname === '127.0.0.1' && REDIRECT.test(next.pathname)) {
        await fetch(next)
        return next
      }
      url = next
      method = 'GET'
      body = undefined
      continue
    }
    const html = await response.text()
    options.onPage?.(html)
    if (response.status !== 200)
      throw new Error(`HTTP ${response.status} at ${url.pathname}: ${html.slice(0, 300)}`)
    const forms = [...html.matchAll(/<form method="post" action="([^"]+)"/g)].map((m) =>
      m[1].replace(/&amp;/g, '&'),
    )
    const subject = options.subject ?? /name="subject" value="([^"]+)" checked/.exec(html)?.[1]
    if (html.includes('id="sign-in"')) {
      url = new URL(forms[0], url)
      body = new URLSearchParams({
        subject: (subject ?? '').replace(/&#39;/g, "'").replace(/&amp;/g, '&'),
      }).toString()
    } else if (html.includes('id="allow"')) {
      url = new URL(
        forms.find((f) => f.endsWith(options.deny ? '/abort' : '/confirm')) as string,
        url,
      )
      body = ''
    } else throw new Error(`unexpected page at ${url.pathname}: ${html.slice(0, 300)}`)
    method = 'POST'
  }
  throw new Error('too many redirects')
}
