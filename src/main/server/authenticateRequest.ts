import { decodeJwt, decodeProtectedHeader } from 'jose'
import type { DecodedToken } from '../../shared/events'
import type { AccessToken, TokenVerifier } from '../auth/accessToken'
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
  if (verdict.ok)
    return { kind: 'verified', token: verdict.token, decoded: decodedOnce(verdict.token, match[1]) }
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

/**
 * One decoded form per verified token: the verifier hands back the same object for a token it
 * remembers, so the fingerprint is hashed and the log bounds the claims once, not per request.
 */
const decodedTokens = new WeakMap<AccessToken, DecodedToken>()
function decodedOnce(token: AccessToken, raw: string): DecodedToken {
  let decoded = decodedTokens.get(token)
  if (!decoded) {
    decoded = { fingerprint: tokenFingerprint(raw), header: token.header, claims: token.claims }
    decodedTokens.set(token, decoded)
  }
  return decoded
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
