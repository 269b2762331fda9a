import type { TokenChecks } from '../../shared/config'
import { rejectToken, type AuthVerdict, type TokenVerifier } from './accessToken'

/** Wraps a verifier with the checks the config switches on: subject deny-list, per-subject rate limit, required claims. */
export function withTokenChecks(inner: TokenVerifier, checks: TokenChecks, now: () => number = Date.now): TokenVerifier {
  const denied = new Set(checks.denySubjects.subjects)
  const hits = new Map<string, number[]>()
  return {
    async verifyAccessToken(token) {
      const verdict = await inner.verifyAccessToken(token)
      if (!verdict.ok) return verdict
      const { subject, claims } = verdict.token
      if (checks.denySubjects.enabled && denied.has(subject)) return rejectToken('ERR_TOKEN_SUBJECT_DENIED', 'This user is not allowed', { claim: 'sub', detail: `subject ${subject} is on the deny-list` })
      if (checks.requiredClaims.enabled) {
        for (const [claim, expected] of Object.entries(checks.requiredClaims.claims)) {
          const actual = claims[claim]
          const matches = Array.isArray(actual) ? actual.includes(expected) : actual === expected
          if (!matches) return rejectToken('ERR_TOKEN_CLAIM_MISMATCH', `The access token's ${claim} claim does not have the required value`, { claim, detail: `${claim}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}` })
        }
      }
      if (checks.rateLimit.enabled && isRateLimited(hits, subject, checks.rateLimit.perMinute, now())) {
        return rejectToken('ERR_TOKEN_RATE_LIMITED', 'Too many requests for this user; try again in a minute', { claim: 'sub', detail: `over ${checks.rateLimit.perMinute} requests/minute for ${subject}` })
      }
      return verdict satisfies AuthVerdict
    },
  }
}

function isRateLimited(hits: Map<string, number[]>, subject: string, perMinute: number, now: number): boolean {
  const recent = (hits.get(subject) ?? []).filter((t) => now - t < 60_000)
  if (recent.length >= perMinute) {
    hits.set(subject, recent)
    return true
  }
  recent.push(now)
  hits.set(subject, recent)
  return false
}
