import { compactVerify, decodeJwt, decodeProtectedHeader } from 'jose'
import type { TokenCheckResult, TokenInspection } from '../../shared/tokenInspection'
import type { Workbench } from '../core'
import { tokenFingerprint } from '../log/redact'
import { scopesFromClaims } from './accessToken'
import { authorizeWidgetCall } from './authorizeWidgetCall'

const SIGNATURE_REASONS = new Set(['ERR_JWS_SIGNATURE_VERIFICATION_FAILED', 'ERR_JWKS_NO_MATCHING_KEY', 'ERR_JWS_INVALID', 'ERR_JOSE_ALG_NOT_ALLOWED'])

/** A pasted token taken apart and judged check by check against the config in force, as a request would be. */
export async function inspectToken(workbench: Workbench, token: string): Promise<TokenInspection> {
  const text = token.trim().replace(/^Bearer\s+/i, '')
  let header: Record<string, unknown> | null = null
  let claims: Record<string, unknown> | null = null
  let decodeError: string | null = null
  try {
    header = decodeProtectedHeader(text) as Record<string, unknown>
    claims = decodeJwt(text) as Record<string, unknown>
  } catch (err) {
    decodeError = `Not a signed JWT (JWS compact): ${(err as Error).message}`
  }
  const fingerprint = text ? tokenFingerprint(text) : null
  if (!header || !claims) {
    return { header, claims, decodeError, checks: [], verdict: { ok: false, reason: 'ERR_JWT_INVALID', description: decodeError }, scopes: [], expiresAt: null, widgets: [], fingerprint }
  }
  const config = workbench.config.get()
  const verifier = workbench.verifier()
  const verdict = verifier ? await verifier.verifyAccessToken(text) : null
  const checks: TokenCheckResult[] = []
  const now = Math.floor(Date.now() / 1000)
  const tolerance = config.auth.clockToleranceSec
  const alg = String(header.alg)
  checks.push((config.auth.algorithms as string[]).includes(alg)
    ? { check: 'alg', outcome: 'pass', detail: `${alg} is on the allow-list` }
    : { check: 'alg', outcome: 'fail', detail: `${alg} is not allowed (allowed: ${config.auth.algorithms.join(', ')})` })

  let issuer: string | null = null
  if (verifier) {
    const source = workbench.issuerSource()
    issuer = source ? await source.resolve().then((r) => r.issuer, () => source.configuredIssuer) : null
    checks.push(await signatureCheck(workbench, text, verdict))
  } else {
    checks.push({ check: 'signature', outcome: 'skip', detail: 'auth is off: no issuer keys to check against' })
  }
  checks.push(issuer === null ? { check: 'iss', outcome: 'skip', detail: 'no issuer configured' }
    : claims.iss === issuer ? { check: 'iss', outcome: 'pass', detail: `issued by ${issuer}` }
      : { check: 'iss', outcome: 'fail', detail: `iss is ${JSON.stringify(claims.iss)}, expected "${issuer}" exactly` })
  const audience = workbench.audience()
  const auds = Array.isArray(claims.aud) ? claims.aud : claims.aud === undefined ? [] : [claims.aud]
  const cognito = claims.aud === undefined && claims.token_use === 'access' && claims.client_id === audience
  checks.push(auds.includes(audience) ? { check: 'aud', outcome: 'pass', detail: `audience ${audience}` }
    : cognito ? { check: 'aud', outcome: 'pass', detail: `no aud; Cognito access token for client ${audience}` }
      : { check: 'aud', outcome: 'fail', detail: `aud is ${JSON.stringify(claims.aud ?? null)}, expected "${audience}"` })
  const exp = typeof claims.exp === 'number' ? claims.exp : null
  checks.push(exp === null ? { check: 'exp', outcome: 'fail', detail: 'no exp: tokens without an expiry are refused' }
    : exp + tolerance > now ? { check: 'exp', outcome: 'pass', detail: `expires ${new Date(exp * 1000).toISOString()}` }
      : { check: 'exp', outcome: 'fail', detail: `expired ${new Date(exp * 1000).toISOString()} (${now - exp} s ago)` })
  const nbf = typeof claims.nbf === 'number' ? claims.nbf : null
  checks.push(nbf === null ? { check: 'nbf', outcome: 'skip', detail: 'no nbf claim' }
    : nbf - tolerance <= now ? { check: 'nbf', outcome: 'pass', detail: `valid since ${new Date(nbf * 1000).toISOString()}` }
      : { check: 'nbf', outcome: 'fail', detail: `not valid until ${new Date(nbf * 1000).toISOString()}` })
  const scopes = scopesFromClaims(claims)
  checks.push({ check: 'scopes', outcome: scopes.length ? 'pass' : 'skip', detail: scopes.length ? `scopes: ${scopes.join(' ')}` : 'no scope, scp or permissions claim' })

  const accessToken = verdict?.ok ? verdict.token : null
  const widgets = workbench.widgets.list().map((w) => {
    const auth = workbench.effectiveAuth(w)
    if (verdict && !verdict.ok) return { id: w.id, mode: auth.mode, allowed: false, reason: `HTTP 401: ${verdict.description}` }
    const decision = authorizeWidgetCall(auth, accessToken, workbench.resourceMetadataUrl())
    return { id: w.id, mode: auth.mode, allowed: decision.run, reason: decision.reason }
  })
  return {
    header, claims, decodeError, checks,
    verdict: verdict ? { ok: verdict.ok, reason: verdict.ok ? null : verdict.reason, description: verdict.ok ? 'The server accepts this token' : verdict.description } : { ok: false, reason: null, description: 'Auth is off: tokens are ignored' },
    scopes, expiresAt: exp, widgets, fingerprint,
  }
}

async function signatureCheck(workbench: Workbench, token: string, verdict: Awaited<ReturnType<NonNullable<ReturnType<Workbench['verifier']>>['verifyAccessToken']>> | null): Promise<TokenCheckResult> {
  if (verdict?.ok) return { check: 'signature', outcome: 'pass', detail: 'signed by a key the issuer publishes' }
  if (verdict && SIGNATURE_REASONS.has(verdict.reason)) return { check: 'signature', outcome: 'fail', detail: verdict.detail }
  // The claims failed first; check the signature on its own so both answers show.
  const source = workbench.issuerSource()
  try {
    const resolved = await source?.resolve()
    if (!resolved) return { check: 'signature', outcome: 'skip', detail: `not checked separately: ${verdict?.description ?? 'no issuer'}` }
    await compactVerify(token, resolved.getKey, { algorithms: workbench.config.get().auth.algorithms as string[] })
    return { check: 'signature', outcome: 'pass', detail: 'signed by a key the issuer publishes' }
  } catch (err) {
    return { check: 'signature', outcome: 'fail', detail: (err as Error).message }
  }
}
