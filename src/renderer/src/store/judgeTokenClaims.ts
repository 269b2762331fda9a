import type { AppState } from '../../../shared/contract'
import type { RequestEvent } from '../../../shared/events'
import {
  accessTokenRule,
  audienceRule,
  DEFAULT_CLOCK_TOLERANCE_SEC,
  expiryRule,
  issuedAtRule,
  issuerRule,
  missingScopes,
  notBeforeRule,
  SCOPE_CLAIMS,
  subjectRule,
  type RuleResult,
} from '../../../shared/tokenRules'

export interface ClaimJudgement {
  claim: string
  value: unknown
  /** `null`: informational, nothing is checked against it. */
  pass: boolean | null
  note: string
}

const TIME_CLAIMS = new Set(['exp', 'nbf', 'iat', 'auth_time'])
/** Claims the access-token rule reads (an ID token's marks). */
const TOKEN_KIND_CLAIMS = new Set(['token_use', 'nonce', 'typ'])

export function formatEpoch(seconds: unknown): string {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return String(seconds)
  return new Date(seconds * 1000)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC')
}

const judged = (rule: RuleResult, note = rule.detail) => ({
  pass: rule.outcome === 'skip' ? null : rule.outcome === 'pass',
  note,
})

/**
 * Each claim of a logged token, judged by the shared token rules against the config in force. A
 * check the server itself failed (the event's `claim`) is always a fail, whatever this local
 * comparison says.
 */
export function judgeTokenClaims(
  event: RequestEvent,
  app: Pick<AppState, 'status' | 'widgets' | 'config'> | null,
): ClaimJudgement[] {
  const claims = event.token?.claims
  if (!claims) return []
  const header = event.token?.header ?? {}
  const nowSec = event.time / 1000
  const toleranceSec = app?.config.auth.clockToleranceSec ?? DEFAULT_CLOCK_TOLERANCE_SEC
  const widget = app?.widgets.find((w) => w.id === event.tool) ?? null
  const audience = app?.status.audience
  const out: ClaimJudgement[] = []
  for (const [claim, value] of Object.entries(claims)) {
    let verdict: { pass: boolean | null; note: string } = { pass: null, note: '' }
    if (claim === 'iss' && app?.status.issuer.issuer) {
      verdict = judged(issuerRule(claims, app.status.issuer.issuer))
    } else if (
      (claim === 'aud' || (claim === 'client_id' && claims.aud === undefined)) &&
      audience
    ) {
      verdict = judged(audienceRule(claims, audience))
    } else if (claim === 'exp') {
      const rule = expiryRule(claims, nowSec, toleranceSec)
      const when =
        rule.outcome === 'pass' ? 'not expired at request time' : 'expired at request time'
      verdict = judged(
        rule,
        typeof value === 'number' ? `${formatEpoch(value)} · ${when}` : rule.detail,
      )
    } else if (claim === 'nbf') {
      const rule = notBeforeRule(claims, nowSec, toleranceSec)
      const when = rule.outcome === 'pass' ? 'already valid' : 'not valid yet at request time'
      verdict = judged(
        rule,
        typeof value === 'number' ? `${formatEpoch(value)} · ${when}` : rule.detail,
      )
    } else if (claim === 'iat') {
      const rule = issuedAtRule(claims, nowSec, toleranceSec)
      verdict = judged(rule, rule.outcome === 'pass' ? formatEpoch(value) : rule.detail)
    } else if (claim === 'sub') {
      verdict = judged(subjectRule(claims))
    } else if (TOKEN_KIND_CLAIMS.has(claim)) {
      const rule = accessTokenRule(header, claims)
      verdict = rule.outcome === 'fail' ? judged(rule) : { pass: null, note: '' }
    } else if (TIME_CLAIMS.has(claim)) {
      verdict = { pass: null, note: formatEpoch(value) }
    } else if (
      (SCOPE_CLAIMS as readonly string[]).includes(claim) &&
      widget &&
      event.rpcMethod === 'tools/call'
    ) {
      const missing = missingScopes(claims, widget.effectiveScopes)
      const note =
        missing.length === 0
          ? `covers ${widget.id}'s scopes`
          : `lacks ${missing.join(', ')} for ${widget.id}`
      verdict = { pass: missing.length === 0, note }
    }
    if (event.claim === claim) verdict = { pass: false, note: event.reason || verdict.note }
    out.push({ claim, value, ...verdict })
  }
  return out
}
