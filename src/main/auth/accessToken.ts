import type { TokenCheckResult } from '../../shared/tokenInspection'

export { clientIdFromClaims, scopesFromClaims } from '../../shared/tokenRules'

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

/**
 * A failed verification: a verdict, not an exception. `description` is public, `detail` goes only
 * to the log.
 */
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

/** The verdict a request would get, with the config's extra checks reported one by one. */
export interface TokenVerdictReport {
  verdict: AuthVerdict
  checks: TokenCheckResult[]
}

/** Verifies a bearer token; the default is the JWT verifier, a project may supply its own. */
export interface TokenVerifier {
  verifyAccessToken(token: string): Promise<AuthVerdict>
  /**
   * The same verdict without changing any state: a rate limit is reported, not counted, so
   * inspecting a token never locks out a real request.
   */
  inspectAccessToken(token: string): Promise<TokenVerdictReport>
}

export function rejectToken(
  reason: string,
  description: string,
  options: { claim?: string | null; detail?: string } = {},
): TokenRejection {
  const { claim = null, detail = description } = options
  return { ok: false, status: 401, error: 'invalid_token', reason, claim, description, detail }
}
