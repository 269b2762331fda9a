export type CheckOutcome = 'pass' | 'fail' | 'skip'

export interface TokenCheckResult {
  /** iss, aud, exp, nbf, alg, signature, scopes, typ… */
  check: string
  outcome: CheckOutcome
  /** What was expected and what the token says, in words. */
  detail: string
}

/** Why a pasted text could not be judged as a signed JWT, in plain words, and what to do. */
export interface TokenProblem {
  kind: 'encrypted' | 'opaque' | 'malformed'
  title: string
  explanation: string
  fix: string | null
}

/** A pasted token taken apart and judged against the config in force. */
export interface TokenInspection {
  /** Null when the text is not a JWS compact token at all. */
  header: Record<string, unknown> | null
  claims: Record<string, unknown> | null
  /** Why it could not be decoded. */
  decodeError: string | null
  /** Set with `decodeError`: an encrypted or opaque token explained. */
  problem: TokenProblem | null
  checks: TokenCheckResult[]
  /**
   * The server's verdict, exactly as a request would get it. `headline` leads with the real cause
   * (a token from another issuer also fails its signature check, but the issuer is what to fix).
   */
  verdict: {
    ok: boolean
    reason: string | null
    description: string | null
    headline: string | null
  }
  scopes: string[]
  /** `exp`, epoch seconds. */
  expiresAt: number | null
  /** Which widgets this token may call and why. */
  widgets: { id: string; mode: string; allowed: boolean; reason: string }[]
  fingerprint: string | null
}
