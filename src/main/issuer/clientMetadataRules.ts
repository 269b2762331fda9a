const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost'])

/** Why a redirect URI is refused (https required except loopback http and native custom schemes), or null. */
export function redirectUriProblem(uri: unknown, applicationType: unknown): string | null {
  if (typeof uri !== 'string') return 'a redirect URI must be a string'
  let url: URL
  try {
    url = new URL(uri)
  } catch {
    return `"${uri}" is not a URL`
  }
  if (url.protocol === 'https:') return null
  if (url.protocol === 'http:') {
    return LOOPBACK_HOSTS.has(url.hostname)
      ? null
      : `"${uri}" uses http on a non-loopback host: use https (http is allowed only for 127.0.0.1, [::1] and localhost)`
  }
  if (applicationType === 'native' && /^[a-z][a-z0-9+.-]*\.[a-z0-9+.-]+:$/i.test(url.protocol))
    return null
  return `"${uri}" uses the ${url.protocol} scheme: use https (custom schemes need application_type native and a reverse-domain scheme)`
}

/** The first problem among a client's redirect URIs, or null. */
export function redirectUrisProblem(metadata: Record<string, unknown>): string | null {
  const uris = metadata.redirect_uris
  if (!Array.isArray(uris)) return null
  for (const uri of uris) {
    const problem = redirectUriProblem(uri, metadata.application_type)
    if (problem) return problem
  }
  return null
}

const isLoopbackHttp = (uri: unknown) => {
  try {
    const url = new URL(String(uri))
    return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)
  } catch {
    return false
  }
}

/**
 * A Client ID Metadata Document as the issuer registers it. ChatGPT's lists its token endpoint methods
 * twice, `token_endpoint_auth_methods: ["none","private_key_jwt"]` and the legacy singular
 * `"private_key_jwt"`: the method is their intersection, narrowed to what this issuer supports
 * (`private_key_jwt` only with keys to check). A loopback-only client without `application_type` is native.
 */
export function normalizeClientDocument(
  doc: Record<string, unknown>,
  supported: string[],
): Record<string, unknown> {
  const plural = Array.isArray(doc.token_endpoint_auth_methods)
    ? doc.token_endpoint_auth_methods.map(String)
    : null
  const singular =
    typeof doc.token_endpoint_auth_method === 'string' ? doc.token_endpoint_auth_method : null
  const both = plural && singular ? plural.filter((m) => m === singular) : []
  const offered = (both.length ? both : (plural ?? (singular ? [singular] : ['none']))).filter(
    (m) => supported.includes(m),
  )
  const hasKeys = doc.jwks !== undefined || doc.jwks_uri !== undefined
  const method =
    offered.includes('private_key_jwt') && hasKeys
      ? 'private_key_jwt'
      : offered.includes('none')
        ? 'none'
        : (offered[0] ?? singular ?? 'none')
  const { token_endpoint_auth_methods: _plural, ...rest } = doc
  const uris = Array.isArray(doc.redirect_uris) ? doc.redirect_uris : []
  const native = doc.application_type === undefined && uris.length > 0 && uris.every(isLoopbackHttp)
  return {
    ...rest,
    token_endpoint_auth_method: method,
    ...(native ? { application_type: 'native' } : {}),
  }
}
