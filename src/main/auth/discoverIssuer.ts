import { WorkbenchError } from '../../shared/errors'
import { isLoopbackHostname } from '../http/httpHelpers'

export interface DiscoveredIssuer {
  /** `issuer` exactly as the metadata says: what `iss` must equal. */
  issuer: string
  jwksUri: string
  metadata: Record<string, unknown>
  /** The URL the metadata came from. */
  metadataUrl: string
}

export interface DiscoverIssuerOptions {
  /** Per-request timeout, in milliseconds. Default 5000. */
  timeoutMs?: number
  fetch?: typeof fetch
}

/** The strict loopback rule, from http/httpHelpers; re-exported for this module's callers. */
export const isLoopbackHost = isLoopbackHostname

/** Trims one trailing slash: how users type an issuer and how Auth0 publishes it differ only there. */
export function sameIssuer(a: string, b: string): boolean {
  return a.replace(/\/$/, '') === b.replace(/\/$/, '')
}

/** The metadata URLs to try: OIDC discovery, then RFC 8414 (path-inserted for issuers with a path). */
export function metadataUrls(issuerUrl: URL): string[] {
  const path = issuerUrl.pathname.replace(/\/$/, '')
  return [
    `${issuerUrl.origin}${path}/.well-known/openid-configuration`,
    `${issuerUrl.origin}/.well-known/oauth-authorization-server${path}`,
    ...(path ? [`${issuerUrl.origin}/.well-known/openid-configuration${path}`] : []),
  ]
}

/** Finds the issuer's metadata and JWKS URL; http only on loopback; the published `issuer` must match. */
export async function discoverIssuer(
  issuerUrl: URL,
  options: DiscoverIssuerOptions = {},
): Promise<DiscoveredIssuer> {
  if (!(issuerUrl instanceof URL)) throw new TypeError('issuerUrl must be a URL')
  if (issuerUrl.protocol === 'http:' && !isLoopbackHost(issuerUrl.hostname)) {
    throw new WorkbenchError(
      'ERR_ISSUER_DISCOVERY',
      `The issuer ${issuerUrl.href} uses http; only loopback issuers may. Use its https URL.`,
    )
  }
  const doFetch = options.fetch ?? fetch
  const failures: string[] = []
  for (const url of metadataUrls(issuerUrl)) {
    let response: Response
    try {
      response = await doFetch(url, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
        redirect: 'error',
      })
    } catch (err) {
      failures.push(`${url}: ${describeFetchError(err)}`)
      continue
    }
    if (!response.ok) {
      failures.push(`${url}: HTTP ${response.status}`)
      continue
    }
    let metadata: Record<string, unknown>
    try {
      metadata = (await response.json()) as Record<string, unknown>
    } catch {
      failures.push(`${url}: not JSON`)
      continue
    }
    const issuer = metadata.issuer
    if (typeof issuer !== 'string')
      throw new WorkbenchError('ERR_ISSUER_DISCOVERY', `${url} has no "issuer" value.`)
    if (!sameIssuer(issuer, issuerUrl.href)) {
      throw new WorkbenchError(
        'ERR_ISSUER_DISCOVERY',
        `${url} names the issuer "${issuer}", not "${issuerUrl.href}". Set auth.issuer to "${issuer}".`,
      )
    }
    if (typeof metadata.jwks_uri !== 'string')
      throw new WorkbenchError(
        'ERR_ISSUER_DISCOVERY',
        `${url} has no "jwks_uri": the issuer publishes no keys to verify tokens with.`,
      )
    return { issuer, jwksUri: metadata.jwks_uri, metadata, metadataUrl: url }
  }
  throw new WorkbenchError(
    'ERR_ISSUER_DISCOVERY',
    `No authorization server metadata found for ${issuerUrl.href} (${failures.join('; ')}).`,
  )
}

function describeFetchError(err: unknown): string {
  const e = err as Error & { cause?: { code?: string } }
  if (e.name === 'TimeoutError') return 'timed out'
  return e.cause?.code ?? e.message
}
