import { compactVerify, decodeJwt, decodeProtectedHeader } from 'jose'
import type { TokenCheckResult, TokenInspection, TokenProblem } from '../../shared/tokenInspection'
import { algorithmRule, allClaimRules, scopesFromClaims } from '../../shared/tokenRules'
import { tokenFingerprint } from '../log/redact'
import type { EffectiveWidgetAuth } from '../widgets/widgetAuth'
import type { AuthVerdict, TokenVerifier } from './accessToken'
import { authorizeWidgetCall } from './authorizeWidgetCall'
import type { IssuerSource } from './issuerSource'

/**
 * What an inspection judges against: the config in force, passed in so the inspector stays a leaf.
 */
export interface InspectionContext {
  /**
   * The verifier requests go through; null when auth is off. Only its side-effect-free face is
   * used.
   */
  verifier: TokenVerifier | null
  issuer: IssuerSource | null
  audience: string
  algorithms: readonly string[]
  clockToleranceSec: number
  widgets: { id: string; auth: EffectiveWidgetAuth }[]
  resourceMetadataUrl: string
}

const SIGNATURE_REASONS = new Set([
  'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
  'ERR_JWKS_NO_MATCHING_KEY',
  'ERR_JWS_INVALID',
  'ERR_JOSE_ALG_NOT_ALLOWED',
])
/** Checks that name the cause better than a failed signature does, in order. */
const CAUSE_CHECKS = ['iss', 'token_use', 'nonce', 'typ', 'aud']

/**
 * A pasted token taken apart and judged check by check against the config in force, as a request
 * would be, without changing any server state (rate limits are reported, not counted).
 */
export async function inspectToken(
  context: InspectionContext,
  token: string,
): Promise<TokenInspection> {
  const text = token.trim().replace(/^Bearer\s+/i, '')
  const fingerprint = text ? tokenFingerprint(text) : null
  const decoded = decode(text, context.audience)
  if ('problem' in decoded) {
    const { problem } = decoded
    return {
      header: decoded.header,
      claims: null,
      decodeError: `${problem.title}: ${problem.explanation}`,
      problem,
      checks: [],
      verdict: {
        ok: false,
        reason: 'ERR_JWT_INVALID',
        description: problem.title,
        headline: problem.title,
      },
      scopes: [],
      expiresAt: null,
      widgets: [],
      fingerprint,
    }
  }
  const { header, claims } = decoded
  const report = context.verifier ? await context.verifier.inspectAccessToken(text) : null
  const verdict = report?.verdict ?? null
  const issuer = context.issuer
    ? await context.issuer.resolve().then(
        (r) => r.issuer,
        () => context.issuer!.configuredIssuer,
      )
    : null
  const nowSec = Math.floor(Date.now() / 1000)
  const claimChecks = allClaimRules(header, claims, {
    issuer,
    audience: context.audience,
    nowSec,
    toleranceSec: context.clockToleranceSec,
  })
  const scopes = scopesFromClaims(claims)
  const signature: TokenCheckResult = context.verifier
    ? await signatureCheck(context, text, verdict)
    : {
        check: 'signature',
        outcome: 'skip',
        detail: 'auth is off: no issuer keys to check against',
      }
  const scopeCheck: TokenCheckResult = scopes.length
    ? { check: 'scopes', outcome: 'pass', detail: `scopes: ${scopes.join(' ')}` }
    : { check: 'scopes', outcome: 'skip', detail: 'no scope, scp or permissions claim' }
  const checks = [
    algorithmRule(header, context.algorithms),
    signature,
    ...claimChecks,
    scopeCheck,
    ...(report?.checks ?? []),
  ].map(({ check, outcome, detail }): TokenCheckResult => ({ check, outcome, detail }))
  const cause = CAUSE_CHECKS.map((c) =>
    claimChecks.find((r) => r.check === c && r.outcome === 'fail'),
  ).find(Boolean)
  const headline = !verdict
    ? 'Auth is off: tokens are ignored'
    : verdict.ok
      ? 'The server accepts this token'
      : cause
        ? cause.check === 'iss'
          ? capitalise(cause.detail)
          : (cause.description ?? cause.detail)
        : verdict.description
  const accessToken = verdict?.ok ? verdict.token : null
  const widgets = context.widgets.map(({ id, auth }) => {
    if (verdict && !verdict.ok)
      return { id, mode: auth.mode, allowed: false, reason: `HTTP 401: ${headline}` }
    const decision = authorizeWidgetCall(auth, accessToken, context.resourceMetadataUrl)
    return { id, mode: auth.mode, allowed: decision.run, reason: decision.reason }
  })
  return {
    header,
    claims,
    decodeError: null,
    problem: null,
    checks,
    verdict: {
      ok: verdict?.ok ?? false,
      reason: verdict && !verdict.ok ? verdict.reason : null,
      description: verdict
        ? verdict.ok
          ? 'The server accepts this token'
          : verdict.description
        : headline,
      headline,
    },
    scopes,
    expiresAt: typeof claims.exp === 'number' ? claims.exp : null,
    widgets,
    fingerprint,
  }
}

type Decoded =
  | { header: Record<string, unknown>; claims: Record<string, unknown> }
  | { header: Record<string, unknown> | null; problem: TokenProblem }

/** A JWS taken apart; an encrypted (JWE), opaque or malformed text explained instead. */
function decode(text: string, audience: string): Decoded {
  const parts = text.split('.').length
  let header: Record<string, unknown> | null = null
  try {
    header = decodeProtectedHeader(text) as Record<string, unknown>
  } catch {
    // Explained below by the number of parts.
  }
  if (parts === 5 && header && 'enc' in header)
    return { header, problem: encryptedProblem(header, audience) }
  if (parts !== 3 || !header) {
    if (parts === 3 || parts === 5)
      return { header, problem: malformed('its header is not base64url JSON') }
    return { header: null, problem: opaqueProblem() }
  }
  try {
    return { header, claims: decodeJwt(text) as Record<string, unknown> }
  } catch (err) {
    return { header, problem: malformed((err as Error).message) }
  }
}

function encryptedProblem(header: Record<string, unknown>, audience: string): TokenProblem {
  return {
    kind: 'encrypted',
    title: 'An encrypted token (JWE), not a signed one',
    explanation:
      `This token is encrypted (alg ${String(header.alg)}, enc ${String(header.enc)}): only the ` +
      'issuer can read it, so no API can verify it. Auth0 issues such tokens when the sign-in ' +
      'names no audience; they are meant for its /userinfo endpoint.',
    fix:
      `Ask for a token for this API: request it with audience=${audience} (Auth0: create an API ` +
      'with that identifier and make it the default audience), then sign in again.',
  }
}

function opaqueProblem(): TokenProblem {
  return {
    kind: 'opaque',
    title: 'An opaque token, not a JWT',
    explanation:
      'This token is a reference that only its issuer can look up; it carries no claims to ' +
      'verify. The Workbench verifies JWT access tokens signed by the issuer.',
    fix:
      'Have the issuer issue JWT access tokens for this API (Auth0: request an audience; Okta: ' +
      'use a custom authorization server). Pasted something else? Paste the access token (eyJ…).',
  }
}

function malformed(why: string): TokenProblem {
  return {
    kind: 'malformed',
    title: 'Not a JWT',
    explanation: `The text is not a signed JWT: ${why}.`,
    fix: null,
  }
}

async function signatureCheck(
  context: InspectionContext,
  token: string,
  verdict: AuthVerdict | null,
): Promise<TokenCheckResult> {
  const passed: TokenCheckResult = {
    check: 'signature',
    outcome: 'pass',
    detail: 'signed by a key the issuer publishes',
  }
  if (verdict?.ok) return passed
  if (verdict && SIGNATURE_REASONS.has(verdict.reason)) {
    return { check: 'signature', outcome: 'fail', detail: verdict.detail }
  }
  // The claims failed first; check the signature on its own so both answers show.
  try {
    const resolved = await context.issuer?.resolve()
    if (!resolved) {
      const why = verdict?.description ?? 'no issuer'
      return { check: 'signature', outcome: 'skip', detail: `not checked separately: ${why}` }
    }
    await compactVerify(token, resolved.getKey, { algorithms: [...context.algorithms] })
    return passed
  } catch (err) {
    return { check: 'signature', outcome: 'fail', detail: (err as Error).message }
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}
