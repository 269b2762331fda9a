import type { AppState } from '../../../shared/contract'
import type { RequestEvent } from '../../../shared/events'

export interface ClaimJudgement {
  claim: string
  value: unknown
  /** `null`: informational, nothing is checked against it. */
  pass: boolean | null
  note: string
}

const TIME_CLAIMS = new Set(['exp', 'nbf', 'iat', 'auth_time'])

export function formatEpoch(seconds: unknown): string {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return String(seconds)
  return new Date(seconds * 1000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC')
}

export function tokenScopes(claims: Record<string, unknown>): string[] {
  const out = new Set<string>()
  if (typeof claims.scope === 'string') for (const s of claims.scope.split(' ')) if (s) out.add(s)
  const scp = claims.scp
  if (typeof scp === 'string') for (const s of scp.split(' ')) if (s) out.add(s)
  if (Array.isArray(scp)) for (const s of scp) if (typeof s === 'string') out.add(s)
  if (Array.isArray(claims.permissions)) for (const s of claims.permissions) if (typeof s === 'string') out.add(s)
  return [...out]
}

/**
 * Each claim of a logged token, judged against the config in force. A check the server itself failed (the
 * event's `claim`) is always a fail, whatever this local comparison says.
 */
export function judgeTokenClaims(event: RequestEvent, app: Pick<AppState, 'status' | 'widgets' | 'config'> | null): ClaimJudgement[] {
  const claims = event.token?.claims
  if (!claims) return []
  const nowSec = event.time / 1000
  const tolerance = app?.config.auth.clockToleranceSec ?? 0
  const widget = app?.widgets.find((w) => w.id === event.tool) ?? null
  const out: ClaimJudgement[] = []
  for (const [claim, value] of Object.entries(claims)) {
    let pass: boolean | null = null
    let note = ''
    if (claim === 'iss' && app?.status.issuer.issuer) {
      pass = value === app.status.issuer.issuer
      note = pass ? 'matches the configured issuer' : `expected ${app.status.issuer.issuer}`
    } else if (claim === 'aud' && app) {
      const auds = Array.isArray(value) ? value : [value]
      pass = auds.includes(app.status.audience)
      note = pass ? 'contains the expected audience' : `expected ${app.status.audience}`
    } else if (claim === 'exp' && typeof value === 'number') {
      pass = value + tolerance > nowSec
      note = `${formatEpoch(value)} · ${pass ? 'not expired at request time' : 'expired at request time'}`
    } else if (claim === 'nbf' && typeof value === 'number') {
      pass = value - tolerance <= nowSec
      note = `${formatEpoch(value)} · ${pass ? 'already valid' : 'not valid yet at request time'}`
    } else if (TIME_CLAIMS.has(claim)) {
      note = formatEpoch(value)
    } else if ((claim === 'scope' || claim === 'scp' || claim === 'permissions') && widget && event.rpcMethod === 'tools/call') {
      const have = new Set(tokenScopes(claims))
      const missing = widget.effectiveScopes.filter((s) => !have.has(s))
      pass = missing.length === 0
      note = pass ? `covers ${widget.id}'s scopes` : `lacks ${missing.join(', ')} for ${widget.id}`
    }
    if (event.claim === claim) {
      pass = false
      note = event.reason || note
    }
    out.push({ claim, value, pass, note })
  }
  return out
}
