import type { TokenChecks } from '../../shared/config'
import type { TokenCheckResult } from '../../shared/tokenInspection'
import { rejectToken, type AccessToken, type AuthVerdict, type TokenVerifier } from './accessToken'

interface CheckedToken {
  verdict: AuthVerdict
  checks: TokenCheckResult[]
}

/**
 * Wraps a verifier with the checks the config switches on: subject deny-list, required claims,
 * per-subject rate limit. `inspectAccessToken` reports each check and never counts a request
 * against the rate limit.
 */
export function withTokenChecks(
  inner: TokenVerifier,
  checks: TokenChecks,
  now: () => number = Date.now,
): TokenVerifier {
  const denied = new Set(checks.denySubjects.subjects)
  const hits = new Map<string, number[]>()

  function judge(token: AccessToken, count: boolean): CheckedToken {
    const { subject, claims } = token
    const report: TokenCheckResult[] = []
    let refusal: AuthVerdict | null = null
    const refuse = (check: string, verdict: AuthVerdict & { ok: false }) => {
      report.push({ check, outcome: 'fail', detail: verdict.detail })
      refusal ??= verdict
    }
    if (checks.denySubjects.enabled) {
      if (denied.has(subject)) {
        refuse(
          'deny-list',
          rejectToken('ERR_TOKEN_SUBJECT_DENIED', 'This user is not allowed', {
            claim: 'sub',
            detail: `subject ${subject} is on the deny-list`,
          }),
        )
      } else
        report.push({
          check: 'deny-list',
          outcome: 'pass',
          detail: `${subject} is not on the deny-list`,
        })
    }
    if (checks.requiredClaims.enabled) {
      for (const [claim, expected] of Object.entries(checks.requiredClaims.claims)) {
        const actual = claims[claim]
        const matches = Array.isArray(actual) ? actual.includes(expected) : actual === expected
        const got = JSON.stringify(actual ?? null)
        const detail = `${claim}: expected ${JSON.stringify(expected)}, got ${got}`
        if (matches) report.push({ check: `required ${claim}`, outcome: 'pass', detail })
        else {
          const description = `The access token's ${claim} claim does not have the required value`
          refuse(
            `required ${claim}`,
            rejectToken('ERR_TOKEN_CLAIM_MISMATCH', description, { claim, detail }),
          )
        }
      }
    }
    if (checks.rateLimit.enabled && refusal === null) {
      const { perMinute } = checks.rateLimit
      const recent = (hits.get(subject) ?? []).filter((t) => now() - t < 60_000)
      if (recent.length >= perMinute) {
        refuse(
          'rate limit',
          rejectToken(
            'ERR_TOKEN_RATE_LIMITED',
            'Too many requests for this user; try again in a minute',
            {
              claim: 'sub',
              detail: `over ${perMinute} requests/minute for ${subject}`,
            },
          ),
        )
      } else {
        if (count) hits.set(subject, [...recent, now()])
        const counted = recent.length + (count ? 1 : 0)
        const used = `${counted} of ${perMinute} requests in the last minute for ${subject}`
        report.push({
          check: 'rate limit',
          outcome: 'pass',
          detail: count ? used : `${used} (inspections are not counted)`,
        })
      }
    }
    return { verdict: refusal ?? { ok: true, token }, checks: report }
  }

  return {
    async verifyAccessToken(token) {
      const verdict = await inner.verifyAccessToken(token)
      return verdict.ok ? judge(verdict.token, true).verdict : verdict
    },
    async inspectAccessToken(token) {
      const { verdict, checks: innerChecks } = await inner.inspectAccessToken(token)
      if (!verdict.ok) return { verdict, checks: innerChecks }
      const judged = judge(verdict.token, false)
      return { verdict: judged.verdict, checks: [...innerChecks, ...judged.checks] }
    },
  }
}
