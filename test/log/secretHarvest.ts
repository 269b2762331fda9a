/** Every credential a client saw on the wire, collected to search the log for them afterwards. */
export interface SecretHarvest {
  secrets: Set<string>
  /** A fetch that records what it sends and receives. */
  fetch: typeof fetch
  /** Adds the secrets in a URL (an authorization response, a Location). */
  url(url: string | URL): void
}

const SECRET_KEYS = [
  'access_token',
  'id_token',
  'refresh_token',
  'code',
  'client_secret',
  'code_verifier',
  'registration_access_token',
]

export function createSecretHarvest(): SecretHarvest {
  const secrets = new Set<string>()
  const add = (value: unknown) => {
    if (typeof value === 'string' && value.length >= 8) secrets.add(value)
  }
  const fromParams = (params: URLSearchParams) => {
    for (const key of SECRET_KEYS) add(params.get(key))
  }
  const fromJson = (value: unknown) => {
    if (!value || typeof value !== 'object') return
    for (const [k, v] of Object.entries(value)) {
      if (SECRET_KEYS.includes(k)) add(v)
      else fromJson(v)
    }
  }
  const fromHeaders = (headers: Headers) => {
    for (const line of headers.getSetCookie()) add(line.split(';')[0].split('=').slice(1).join('='))
    const location = headers.get('location')
    if (location) fromParams(new URL(location, 'http://x').searchParams)
    const bearer = /^Bearer (.+)$/i.exec(headers.get('authorization') ?? '')
    if (bearer) add(bearer[1])
    for (const pair of (headers.get('cookie') ?? '').split(';'))
      add(pair.split('=').slice(1).join('=').trim())
  }
  const recording: typeof fetch = async (input, init) => {
    const request = new Request(input, init)
    fromHeaders(request.headers)
    const body = await request.clone().text()
    if (body) {
      if ((request.headers.get('content-type') ?? '').includes('json')) fromJson(safeJson(body))
      else fromParams(new URLSearchParams(body))
    }
    const response = await fetch(request)
    fromHeaders(response.headers)
    const text = await response.clone().text()
    for (const line of text.split('\n'))
      fromJson(safeJson(line.startsWith('data:') ? line.slice(5) : line))
    return response
  }
  return { secrets, fetch: recording, url: (url) => fromParams(new URL(url).searchParams) }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}
