import type { IssuerCheckReport, IssuerFinding } from '../../shared/issuerTypes'
import { isLoopbackHost, metadataUrls } from '../auth/discoverIssuer'
import { checkClientSupport } from './checkClientSupport'
import { audienceCheck, resourceHint } from './checkIssuerAudience'
import { checkJwks } from './checkIssuerKeys'
import type { AddFinding, Provider } from './issuerFinding'

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

/**
 * Checks an issuer the way the Workbench and ChatGPT will use it: discovery, `issuer` value, keys, DCR, PKCE,
 * resource indicators, audience. Every finding has a fix in plain words; nothing here throws for a bad issuer.
 */
export async function checkIssuer(
  input: string,
  options: CheckIssuerOptions = {},
): Promise<IssuerCheckReport> {
  const findings: IssuerFinding[] = []
  const add: AddFinding = (id, level, title, detail, fix = null) =>
    findings.push({ id, level, title, detail, fix })
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

  checkClientSupport(metadata, provider, add)
  resourceHint(provider, add)
  audienceCheck(provider, issuer, options, add)
  return { url: url.href, provider, findings, metadata }
}
