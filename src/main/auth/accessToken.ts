/** A verified access token, as handlers and checks see it. */
export interface AccessToken {
  subject: string
  clientId: string | null
  scopes: string[]
  claims: Record<string, unknown>
  header: Record<string, unknown>
  /** `exp`, in epoch seconds. */
  expiresAt: number
}

/** A failed verification: a verdict, not an exception. `description` is public, `detail` goes only to the log. */
export interface TokenRejection {
  ok: false
  status: 401
  error: 'invalid_token'
  /** jose's code (ERR_JWT_EXPIRED…) or ours (ERR_TOKEN_…). */
  reason: string
  claim: string | null
  description: string
  detail: string
}

export type AuthVerdict = { ok: true; token: AccessToken } | TokenRejection

/** Verifies a bearer token; the default is the JWT verifier, a project may supply its own. */
export interface TokenVerifier {
  verifyAccessToken(token: string): Promise<AuthVerdict>
}

export function rejectToken(reason: string, description: string, options: { claim?: string | null; detail?: string } = {}): TokenRejection {
  return { ok: false, status: 401, error: 'invalid_token', reason, claim: options.claim ?? null, description, detail: options.detail ?? description }
}

/** Scopes from `scope` (space-delimited), `scp` (string or array) and Auth0's `permissions`, matched exactly. */
export function scopesFromClaims(claims: Record<string, unknown>): string[] {
  const found = new Set<string>()
  const addText = (value: unknown) => {
    if (typeof value === 'string') for (const s of value.split(' ')) if (s) found.add(s)
  }
  addText(claims.scope)
  if (Array.isArray(claims.scp)) claims.scp.forEach(addText)
  else addText(claims.scp)
  if (Array.isArray(claims.permissions)) for (const p of claims.permissions) if (typeof p === 'string' && p) found.add(p)
  return [...found]
}

export function clientIdFromClaims(claims: Record<string, unknown>): string | null {
  for (const key of ['client_id', 'azp', 'cid', 'appid']) if (typeof claims[key] === 'string') return claims[key] as string
  return null
}
