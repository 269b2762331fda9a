import type { JWTVerifyGetKey } from 'jose'
import type { IssuerStatus } from '../../shared/events'

/** What the verifier needs from an issuer: its exact identifier and its keys. */
export interface ResolvedIssuer {
  /** The `iss` value tokens must carry, exactly as the issuer's metadata says. */
  issuer: string
  getKey: JWTVerifyGetKey
  /** The authorization server metadata (RFC 8414 / OIDC discovery). */
  metadata: Record<string, unknown>
}

/** Where tokens come from: the embedded development issuer or an external one found by discovery. */
export interface IssuerSource {
  readonly kind: 'dev' | 'external'
  /** The issuer identifier as configured or known, before discovery. */
  readonly configuredIssuer: string
  status(): IssuerStatus
  /** Discovery and keys; cached, retried after a failure. Rejects with ERR_ISSUER_DISCOVERY in words. */
  resolve(): Promise<ResolvedIssuer>
  close?(): Promise<void>
}
