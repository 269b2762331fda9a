import type { CheckOutcome } from './tokenInspection'

/**
 * The rules an access token must meet, in one place: the JWT verifier (main), the token inspector
 * and the Requests screen (renderer) all judge claims with these functions. Plain TypeScript, no
 * Node modules.
 */

/**
 * Claims that carry scopes: `scope` (space-delimited), `scp` (string or array), Auth0's
 * `permissions`.
 */
export const SCOPE_CLAIMS = ['scope', 'scp', 'permissions'] as const

/** Allowed clock skew for `exp`, `nbf` and `iat`, in seconds, unless the config says otherwise. */
export const DEFAULT_CLOCK_TOLERANCE_SEC = 30

/**
 * One rule applied to one token; on a fail, `code` and `description` are what the server answers.
 */
export interface RuleResult {
  /** The claim (or header field) judged: iss, aud, exp, nbf, iat, sub, token_use… */
  check: string
  outcome: CheckOutcome
  /** What was expected and what the token says, in words. */
  detail: string
  code?: string
  description?: string
}

type Claims = Record<string, unknown>

const pass = (check: string, detail: string): RuleResult => ({ check, outcome: 'pass', detail })
const skip = (check: string, detail: string): RuleResult => ({ check, outcome: 'skip', detail })
const fail = (check: string, detail: string, code: string, description: string): RuleResult => ({
  check,
  outcome: 'fail',
  detail,
  code,
  description,
})
const shown = (value: unknown) => JSON.stringify(value ?? null)
const isoTime = (sec: number) => new Date(sec * 1000).toISOString().replace(/\.\d+Z$/, 'Z')

/** Scopes from every scope claim, de-duplicated, matched exactly. */
export function scopesFromClaims(claims: Claims): string[] {
  const found = new Set<string>()
  const addText = (value: unknown) => {
    if (typeof value === 'string') for (const s of value.split(' ')) if (s) found.add(s)
  }
  addText(claims.scope)
  if (Array.isArray(claims.scp)) claims.scp.forEach(addText)
  else addText(claims.scp)
  if (Array.isArray(claims.permissions)) {
    for (const p of claims.permissions) if (typeof p === 'string' && p) found.add(p)
  }
  return [...found]
}

/** The OAuth client the token was issued to, under the names providers use. */
export function clientIdFromClaims(claims: Claims): string | null {
  for (const key of ['client_id', 'azp', 'cid', 'appid']) {
    if (typeof claims[key] === 'string') return claims[key]
  }
  return null
}

/** Scopes of `needed` the token does not carry. */
export function missingScopes(claims: Claims, needed: readonly string[]): string[] {
  const have = new Set(scopesFromClaims(claims))
  return needed.filter((s) => !have.has(s))
}

/** The header's `alg` must be on the allow-list (asymmetric algorithms only). */
export function algorithmRule(header: Claims, algorithms: readonly string[]): RuleResult {
  const alg = String(header.alg)
  if (algorithms.includes(alg)) return pass('alg', `${alg} is on the allow-list`)
  const detail = `${alg} is not allowed (allowed: ${algorithms.join(', ')})`
  return fail(
    'alg',
    detail,
    'ERR_JOSE_ALG_NOT_ALLOWED',
    'The access token is signed with an algorithm that is not allowed',
  )
}

/** `iss` must equal the issuer identifier exactly, as the issuer's metadata publishes it. */
export function issuerRule(claims: Claims, issuer: string): RuleResult {
  if (claims.iss === issuer) return pass('iss', `issued by ${issuer}`)
  return fail(
    'iss',
    `issued by ${shown(claims.iss)}, expected "${issuer}" exactly`,
    'ERR_JWT_CLAIM_VALIDATION_FAILED',
    `The access token was issued by ${shown(claims.iss)}, not by the configured issuer ${issuer}`,
  )
}

/**
 * `aud` must contain the audience. AWS Cognito access tokens carry no `aud`: their `client_id`
 * names the audience (set the audience to the app client ID), and only for `token_use: "access"`.
 */
export function audienceRule(claims: Claims, audience: string): RuleResult {
  const auds = Array.isArray(claims.aud) ? claims.aud : claims.aud === undefined ? [] : [claims.aud]
  if (auds.includes(audience)) return pass('aud', `audience ${audience}`)
  if (isCognitoAccessTokenFor(claims, audience)) {
    return pass('aud', `no aud; a Cognito access token for client ${audience}`)
  }
  return fail(
    'aud',
    `aud is ${shown(claims.aud)}, expected "${audience}"`,
    'ERR_JWT_CLAIM_VALIDATION_FAILED',
    `The access token is for another audience: aud is ${shown(claims.aud)}, expected ${audience}`,
  )
}

function isCognitoAccessTokenFor(claims: Claims, audience: string): boolean {
  return claims.aud === undefined && claims.token_use === 'access' && claims.client_id === audience
}

const ACCESS_HEADER_TYPES = new Set(['jwt', 'at+jwt'])
/**
 * Keycloak puts the token kind in a `typ` claim: `Bearer` for access tokens, `ID`, `Refresh`…
 * otherwise.
 */
const ACCESS_CLAIM_TYPES = new Set(['bearer', 'jwt', 'at+jwt'])

/**
 * An ID token is not an access token, even when its `aud` matches (Cognito and Entra put the client
 * ID there). Refused: `token_use` other than "access", a `nonce` claim, an explicit `typ` that is
 * not an access token's. Accepted: `typ` "at+jwt" (RFC 9068), "JWT", or none.
 */
export function accessTokenRule(header: Claims, claims: Claims): RuleResult {
  const refuse = (claim: 'token_use' | 'nonce' | 'typ', detail: string) =>
    fail(
      claim,
      detail,
      'ERR_TOKEN_NOT_ACCESS_TOKEN',
      `This is not an access token: ${detail}. Send the access token, not the ID token`,
    )
  if (claims.token_use !== undefined && claims.token_use !== 'access') {
    const kind = claims.token_use === 'id' ? 'an ID token' : 'not "access"'
    return refuse('token_use', `token_use is ${shown(claims.token_use)}, ${kind}`)
  }
  if (claims.nonce !== undefined)
    return refuse('nonce', 'it carries a nonce, which only ID tokens do')
  const headerType =
    typeof header.typ === 'string' ? header.typ.toLowerCase().replace(/^application\//, '') : null
  if (header.typ !== undefined && (headerType === null || !ACCESS_HEADER_TYPES.has(headerType))) {
    return refuse('typ', `its header typ is ${shown(header.typ)}, not "at+jwt" or "JWT"`)
  }
  if (claims.typ !== undefined && !ACCESS_CLAIM_TYPES.has(String(claims.typ).toLowerCase())) {
    return refuse('typ', `its typ claim is ${shown(claims.typ)}, not "Bearer"`)
  }
  return pass('token_use', `an access token${header.typ ? ` (typ ${String(header.typ)})` : ''}`)
}

/** `sub` names the user: a non-empty string. */
export function subjectRule(claims: Claims): RuleResult {
  if (typeof claims.sub === 'string' && claims.sub !== '')
    return pass('sub', `subject ${claims.sub}`)
  const what = claims.sub === undefined ? 'missing' : `${shown(claims.sub)}, not a non-empty string`
  return fail(
    'sub',
    `sub is ${what}`,
    'ERR_TOKEN_INVALID_SUBJECT',
    `The access token's subject (sub) is ${what}`,
  )
}

/** `exp` is required and must be in the future, give or take the tolerance. */
export function expiryRule(claims: Claims, nowSec: number, toleranceSec: number): RuleResult {
  const exp = claims.exp
  if (typeof exp !== 'number') {
    const detail =
      exp === undefined
        ? 'no exp: tokens without an expiry are refused'
        : `exp is ${shown(exp)}, not a number`
    return fail(
      'exp',
      detail,
      'ERR_JWT_CLAIM_VALIDATION_FAILED',
      'The access token has no valid expiry',
    )
  }
  if (exp + toleranceSec > nowSec) return pass('exp', `expires ${isoTime(exp)}`)
  return fail(
    'exp',
    `expired ${isoTime(exp)} (${Math.round(nowSec - exp)} s ago)`,
    'ERR_JWT_EXPIRED',
    'The access token expired',
  )
}

/** `nbf`, if present, must not be in the future beyond the tolerance. */
export function notBeforeRule(claims: Claims, nowSec: number, toleranceSec: number): RuleResult {
  const nbf = claims.nbf
  if (nbf === undefined) return skip('nbf', 'no nbf claim')
  if (typeof nbf === 'number' && nbf - toleranceSec <= nowSec)
    return pass('nbf', `valid since ${isoTime(nbf)}`)
  const detail =
    typeof nbf === 'number'
      ? `not valid until ${isoTime(nbf)}`
      : `nbf is ${shown(nbf)}, not a number`
  return fail('nbf', detail, 'ERR_JWT_CLAIM_VALIDATION_FAILED', 'The access token is not valid yet')
}

/** `iat`, if present, must be a time not in the future beyond the tolerance. */
export function issuedAtRule(claims: Claims, nowSec: number, toleranceSec: number): RuleResult {
  const iat = claims.iat
  if (iat === undefined) return skip('iat', 'no iat claim')
  if (typeof iat !== 'number' || !Number.isFinite(iat)) {
    const detail = `iat is ${shown(iat)}, not a number`
    return fail(
      'iat',
      detail,
      'ERR_TOKEN_INVALID_IAT',
      `The access token's issue time is invalid: ${detail}`,
    )
  }
  if (iat - toleranceSec <= nowSec) return pass('iat', `issued ${isoTime(iat)}`)
  const detail = `issued in the future (${isoTime(iat)}, ${Math.round(iat - nowSec)} s from now)`
  return fail('iat', detail, 'ERR_TOKEN_INVALID_IAT', `The access token claims to be ${detail}`)
}

/**
 * The rules the verifier applies after jose has checked the signature, `iss`, `exp` and `nbf`; in
 * the order that names the real cause first (an ID token usually also has the wrong audience).
 */
export function accessTokenClaimRules(
  header: Claims,
  claims: Claims,
  context: { audience: string; nowSec: number; toleranceSec: number },
): RuleResult[] {
  return [
    accessTokenRule(header, claims),
    audienceRule(claims, context.audience),
    subjectRule(claims),
    issuedAtRule(claims, context.nowSec, context.toleranceSec),
  ]
}

/**
 * Every claim rule, for the inspector: issuer (when known), the access-token rules, `exp` and
 * `nbf`.
 */
export function allClaimRules(
  header: Claims,
  claims: Claims,
  context: { issuer: string | null; audience: string; nowSec: number; toleranceSec: number },
): RuleResult[] {
  return [
    context.issuer === null
      ? skip('iss', 'no issuer configured')
      : issuerRule(claims, context.issuer),
    ...accessTokenClaimRules(header, claims, context),
    expiryRule(claims, context.nowSec, context.toleranceSec),
    notBeforeRule(claims, context.nowSec, context.toleranceSec),
  ]
}
