import type { IssuerCheckReport, IssuerFinding, FindingLevel } from '../../shared/issuerTypes'
import { ISSUER_PRESETS } from '../../shared/issuerTypes'
import { isLoopbackHost, metadataUrls } from '../auth/discoverIssuer'

export interface CheckIssuerOptions {
  /** The `aud` the server will expect (`auth.audience`, else the resource URL). */
  audience?: string
  /** The MCP resource URL, to compare the audience with. */
  resource?: string
  /** The development issuer's identifier, to recognise it. */
  devIssuer?: string
  /** Per-request timeout, in milliseconds. Default 5000. */
  timeoutMs?: number
  fetch?: typeof fetch
}

type Provider = IssuerCheckReport['provider']

/** Which provider a URL belongs to, from its shape. */
export function detectProvider(url: URL, devIssuer?: string): Provider {
  const host = url.hostname.toLowerCase()
  if (devIssuer && url.href.replace(/\/$/, '') === devIssuer.replace(/\/$/, '')) return 'dev'
  if (host.endsWith('.auth0.com')) return 'auth0'
  if (
    host.endsWith('.okta.com') ||
    host.endsWith('.oktapreview.com') ||
    host.endsWith('.okta-emea.com')
  )
    return 'okta'
  if (
    host === 'login.microsoftonline.com' ||
    host.endsWith('.ciamlogin.com') ||
    host === 'sts.windows.net'
  )
    return 'entra'
  if (/^cognito-idp\.[a-z0-9-]+\.amazonaws\.com$/.test(host)) return 'cognito'
  if (/\/realms\/[^/]+/.test(url.pathname)) return 'keycloak'
  return 'generic'
}

const ASYMMETRIC_KTY = new Set(['RSA', 'EC', 'OKP'])

/**
 * Checks an issuer the way the Workbench and ChatGPT will use it: discovery, `issuer` value, keys, DCR, PKCE,
 * resource indicators, audience. Every finding has a fix in plain words; nothing here throws for a bad issuer.
 */
export async function checkIssuer(
  input: string,
  options: CheckIssuerOptions = {},
): Promise<IssuerCheckReport> {
  const findings: IssuerFinding[] = []
  const add = (
    id: string,
    level: FindingLevel,
    title: string,
    detail: string,
    fix: string | null = null,
  ) => findings.push({ id, level, title, detail, fix })
  const doFetch = options.fetch ?? fetch
  const timeout = () => AbortSignal.timeout(options.timeoutMs ?? 5000)

  let url: URL
  try {
    url = new URL(input.trim())
  } catch {
    add(
      'url',
      'error',
      'Not a URL',
      `"${input}" is not an absolute URL.`,
      'Type the issuer URL, e.g. https://TENANT.us.auth0.com/ (or pick a preset).',
    )
    return { url: input, provider: 'generic', findings, metadata: null }
  }
  const provider = detectProvider(url, options.devIssuer)
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    add(
      'https',
      'error',
      'Issuer uses http',
      `${url.href} is not https and not on this machine.`,
      'Use the https URL; only loopback issuers may use http.',
    )
  }

  let metadata: Record<string, unknown> | null = null
  const tried: string[] = []
  for (const candidate of metadataUrls(url)) {
    try {
      const response = await doFetch(candidate, {
        headers: { accept: 'application/json' },
        signal: timeout(),
        redirect: 'error',
      })
      tried.push(`${candidate} → HTTP ${response.status}`)
      if (!response.ok) continue
      metadata = (await response.json()) as Record<string, unknown>
      add('discovery', 'ok', 'Discovery metadata found', `Read from ${candidate}.`)
      break
    } catch (err) {
      tried.push(
        `${candidate} → ${(err as Error).name === 'TimeoutError' ? 'timed out' : ((err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message)}`,
      )
    }
  }
  if (!metadata) {
    add(
      'discovery',
      'error',
      'No discovery metadata',
      `Tried: ${tried.join('; ')}.`,
      'Check the issuer URL: it is the part before /.well-known/openid-configuration (Okta: include /oauth2/<server id>; Entra: end with /v2.0).',
    )
    return { url: url.href, provider, findings, metadata: null }
  }

  const issuer = typeof metadata.issuer === 'string' ? metadata.issuer : null
  const typed = input.trim()
  if (!issuer)
    add(
      'issuer',
      'error',
      'No "issuer" in the metadata',
      'Tokens cannot be matched to this issuer.',
      'This server is not a standard authorization server; pick another URL.',
    )
  else if (issuer === typed)
    add('issuer', 'ok', 'Issuer matches', `Tokens must carry iss "${issuer}".`)
  else if (issuer.replace(/\/$/, '') === typed.replace(/\/$/, '')) {
    add(
      'issuer',
      'warn',
      'Trailing slash differs',
      `The metadata says "${issuer}", you typed "${input.trim()}". iss is compared as an exact string (ChatGPT does too).`,
      `Set the issuer to exactly "${issuer}".`,
    )
  } else
    add(
      'issuer',
      'error',
      'Issuer mismatch',
      `The metadata names "${issuer}", not "${url.href}".`,
      `Use "${issuer}" as the issuer URL.`,
    )

  await checkJwks(metadata, add, doFetch, timeout)

  if (typeof metadata.registration_endpoint === 'string')
    add(
      'registration',
      'ok',
      'Dynamic client registration',
      `registration_endpoint: ${metadata.registration_endpoint}.`,
    )
  else if (metadata.client_id_metadata_document_supported === true) {
    add(
      'registration',
      'warn',
      'No dynamic client registration (CIMD only)',
      'The server accepts Client ID Metadata Documents but has no registration_endpoint; clients without CIMD cannot connect.',
      'Enable dynamic client registration if older clients must connect.',
    )
  } else {
    add(
      'registration',
      'error',
      'No dynamic client registration',
      'The metadata has no registration_endpoint: ChatGPT and MCP clients cannot register themselves.',
      registrationFix(provider),
    )
  }

  const methods = Array.isArray(metadata.code_challenge_methods_supported)
    ? (metadata.code_challenge_methods_supported as string[])
    : []
  if (methods.includes('S256'))
    add(
      'pkce',
      'ok',
      'PKCE S256 supported',
      `code_challenge_methods_supported: ${methods.join(', ')}.`,
    )
  else
    add(
      'pkce',
      'error',
      'PKCE S256 not advertised',
      methods.length
        ? `Only ${methods.join(', ')}.`
        : 'code_challenge_methods_supported is missing.',
      'ChatGPT refuses servers that do not list S256 in code_challenge_methods_supported; enable PKCE S256 on the server.',
    )

  if (metadata.authorization_response_iss_parameter_supported === true)
    add(
      'iss-parameter',
      'ok',
      'RFC 9207 iss parameter',
      'The authorization response names the issuer.',
    )
  else
    add(
      'iss-parameter',
      'info',
      'No RFC 9207 iss parameter',
      'ChatGPT then uses its per-connector callback URL (https://chatgpt.com/connector/oauth/…).',
      null,
    )

  const authMethods = metadata.token_endpoint_auth_methods_supported
  if (!Array.isArray(authMethods))
    add(
      'token-auth',
      'warn',
      'Token endpoint auth methods not published',
      'token_endpoint_auth_methods_supported is missing; clients assume client_secret_basic.',
      'Publish token_endpoint_auth_methods_supported (ChatGPT reads it).',
    )
  else add('token-auth', 'ok', 'Token endpoint auth methods', (authMethods as string[]).join(', '))

  resourceHint(provider, add)
  audienceCheck(provider, issuer, options, add)
  return { url: url.href, provider, findings, metadata }
}

type Add = (
  id: string,
  level: FindingLevel,
  title: string,
  detail: string,
  fix?: string | null,
) => void

async function checkJwks(
  metadata: Record<string, unknown>,
  add: Add,
  doFetch: typeof fetch,
  timeout: () => AbortSignal,
) {
  if (typeof metadata.jwks_uri !== 'string') {
    add(
      'jwks',
      'error',
      'No jwks_uri',
      'The issuer publishes no keys, so its tokens cannot be verified.',
      'Use an issuer that signs access tokens as JWTs with published keys.',
    )
    return
  }
  try {
    const response = await doFetch(metadata.jwks_uri, {
      headers: { accept: 'application/json' },
      signal: timeout(),
    })
    if (!response.ok) throw new Error(`HTTP ${response.status}`)
    const keys =
      ((await response.json()) as { keys?: { kty?: string; alg?: string; use?: string }[] }).keys ??
      []
    const kinds = keys.map((k) => `${k.kty ?? '?'}${k.alg ? `/${k.alg}` : ''}`)
    const usable = keys.filter((k) => k.kty && ASYMMETRIC_KTY.has(k.kty) && k.use !== 'enc')
    if (!keys.length)
      add(
        'jwks',
        'error',
        'JWKS is empty',
        `${metadata.jwks_uri} lists no keys.`,
        'Create a signing key on the issuer.',
      )
    else if (!usable.length)
      add(
        'jwks',
        'error',
        'No asymmetric signing key',
        `Keys: ${kinds.join(', ')}.`,
        'The Workbench accepts asymmetric algorithms only (RS*, PS*, ES*, EdDSA); switch the signing algorithm.',
      )
    else add('jwks', 'ok', 'Signing keys reachable', `${keys.length} key(s): ${kinds.join(', ')}.`)
  } catch (err) {
    add(
      'jwks',
      'error',
      'JWKS unreachable',
      `${metadata.jwks_uri}: ${(err as Error).message}.`,
      'Check that the jwks_uri is reachable from this machine.',
    )
  }
}

function registrationFix(provider: Provider): string {
  switch (provider) {
    case 'auth0':
      return 'Auth0: Settings → Advanced → enable "OIDC Dynamic Application Registration", and promote the connection to domain level.'
    case 'okta':
      return 'Okta: dynamic registration needs an API token; register the client by hand and give Connect its client ID, or use a gateway.'
    case 'entra':
      return 'Entra ID has no dynamic registration: register an app by hand and use its client ID (pre-registered client).'
    case 'cognito':
      return 'Cognito has no dynamic registration: create an app client by hand and use its client ID.'
    case 'keycloak':
      return 'Keycloak: allow anonymous client registration in Realm settings → Client registration policies (Trusted Hosts).'
    default:
      return 'Enable dynamic client registration (RFC 7591), or register a client by hand and give its client ID.'
  }
}

function resourceHint(provider: Provider, add: Add) {
  const preset = ISSUER_PRESETS.find((p) => p.provider === provider)
  if (preset)
    add(
      'resource-indicators',
      'warn',
      `Resource indicators on ${preset.label}`,
      'MCP clients send resource=<MCP URL> and expect aud to be that URL.',
      preset.audienceHint,
    )
  else if (provider === 'dev')
    add(
      'resource-indicators',
      'ok',
      'Resource indicators',
      'The development issuer puts the requested resource into aud.',
    )
  else
    add(
      'resource-indicators',
      'info',
      'Resource indicators',
      'Make sure the issuer copies the RFC 8707 resource parameter into aud, or set auth.audience to what it puts there.',
    )
}

function audienceCheck(
  provider: Provider,
  issuer: string | null,
  options: CheckIssuerOptions,
  add: Add,
) {
  const audience = options.audience
  if (!audience) return
  if (issuer && audience.replace(/\/$/, '') === issuer.replace(/\/$/, '')) {
    add(
      'audience',
      'error',
      'Audience is the issuer',
      `auth.audience is "${audience}", the issuer itself.`,
      'The audience names your MCP server (its resource URL or API identifier), not the issuer.',
    )
  } else if (provider === 'auth0' && audience.endsWith('/userinfo')) {
    add(
      'audience',
      'error',
      'Audience is the userinfo endpoint',
      'Tokens for /userinfo are opaque in Auth0 and cannot be verified.',
      'Use your Auth0 API identifier (the MCP URL) as the audience.',
    )
  } else if (
    options.resource &&
    audience !== options.resource &&
    provider !== 'entra' &&
    provider !== 'cognito'
  ) {
    add(
      'audience',
      'warn',
      'Audience differs from the resource URL',
      `auth.audience "${audience}" is not the resource "${options.resource}" that ChatGPT sends as resource.`,
      'Either make the issuer put the resource URL into aud, or keep auth.audience equal to what it does put there.',
    )
  } else add('audience', 'ok', 'Audience looks right', `Tokens must carry aud "${audience}".`)
}
