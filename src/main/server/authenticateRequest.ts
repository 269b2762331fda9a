import { decodeJwt, decodeProtectedHeader } from 'jose'
import type { DecodedToken } from '../../shared/events'
import type { TokenVerifier } from '../auth/accessToken'
import { tokenFingerprint } from '../log/redact'
import type { Authentication } from './exchange'

const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i

/**
 * Reads the Authorization header once: no header, ignored (auth off), verified, or refused.
 * Only the header carries tokens (never the query string or `_meta`).
 */
export async function authenticateRequest(
  header: string | undefined,
  verifier: TokenVerifier | null,
): Promise<Authentication> {
  if (header === undefined) return { kind: 'none' }
  const match = BEARER.exec(header)
  if (!verifier) return { kind: 'ignored', decoded: match ? decodeUnverified(match[1]) : null }
  if (!match) {
    return {
      kind: 'refused',
      error: 'invalid_request',
      description: 'The Authorization header must be "Bearer <token>"',
      reason: 'the Authorization header is not "Bearer <token>"',
      reasonCode: 'ERR_AUTH_HEADER_MALFORMED',
      claim: null,
      decoded: null,
    }
  }
  const verdict = await verifier.verifyAccessToken(match[1])
  if (verdict.ok) {
    const decoded = {
      fingerprint: tokenFingerprint(match[1]),
      header: verdict.token.header,
      claims: verdict.token.claims,
    }
    return { kind: 'verified', token: verdict.token, decoded }
  }
  return {
    kind: 'refused',
    error: 'invalid_token',
    description: verdict.description,
    reason: `${verdict.description} (${verdict.detail})`,
    reasonCode: verdict.reason,
    claim: verdict.claim,
    decoded: decodeUnverified(match[1]),
  }
}

/** Header and claims of a token that failed verification, decoded with jose for the log only; never trusted. */
export function decodeUnverified(token: string): DecodedToken {
  try {
    return {
      fingerprint: tokenFingerprint(token),
      header: decodeProtectedHeader(token) as Record<string, unknown>,
      claims: decodeJwt(token) as Record<string, unknown>,
    }
  } catch {
    return { fingerprint: tokenFingerprint(token), header: {}, claims: {} }
  }
}
