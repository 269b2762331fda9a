import { jwtVerify, errors as joseErrors, type JWTPayload } from 'jose'
import { WorkbenchError } from '../../shared/errors'
import { clientIdFromClaims, rejectToken, scopesFromClaims, type AccessToken, type AuthVerdict, type TokenVerifier } from './accessToken'
import type { IssuerSource } from './issuerSource'

export interface JwtVerifierOptions {
  issuer: IssuerSource
  /** Expected `aud`, read per call so it can follow the public URL. */
  audience: () => string
  /** Accepted signature algorithms (asymmetric only). */
  algorithms: string[]
  /** Allowed clock skew for `exp`/`nbf`, in seconds. Default 30. */
  clockToleranceSec?: number
  /** Verified tokens remembered until `exp`. Default 1000. */
  cacheSize?: number
}

const SYMMETRIC = /^HS|^none$/i

/** The default TokenVerifier: a JWS access token checked with jose against the issuer's keys. */
export function createJwtVerifier(options: JwtVerifierOptions): TokenVerifier {
  const algorithms = options.algorithms.filter((a) => !SYMMETRIC.test(a))
  if (algorithms.length === 0) throw new TypeError('algorithms must name at least one asymmetric algorithm')
  const cacheSize = options.cacheSize ?? 1000
  const cache = new Map<string, { token: AccessToken; audience: string; issuer: string }>()

  async function verify(token: string): Promise<AuthVerdict> {
    let resolved
    try {
      resolved = await options.issuer.resolve()
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err)
      return rejectToken('ERR_ISSUER_UNAVAILABLE', 'The token cannot be checked: the issuer is unreachable.', { detail: message })
    }
    const audience = options.audience()
    const hit = cache.get(token)
    if (hit && hit.audience === audience && hit.issuer === resolved.issuer && hit.token.expiresAt * 1000 > Date.now()) return { ok: true, token: hit.token }
    if (hit) cache.delete(token)
    const verifyOptions = { issuer: resolved.issuer, audience, algorithms, clockTolerance: options.clockToleranceSec ?? 30, requiredClaims: ['exp', 'sub'] }
    try {
      const { payload, protectedHeader } = await jwtVerify(token, resolved.getKey, verifyOptions).catch((err: unknown) => {
        // AWS Cognito access tokens carry no aud: their client_id names the audience (token_use "access").
        if (err instanceof joseErrors.JWTClaimValidationFailed && err.claim === 'aud' && isCognitoAccessToken(err.payload, audience)) {
          return jwtVerify(token, resolved.getKey, { ...verifyOptions, audience: undefined })
        }
        throw err
      })
      const accessToken = toAccessToken(payload, protectedHeader as unknown as Record<string, unknown>)
      if (cache.size >= cacheSize) cache.delete(cache.keys().next().value as string)
      cache.set(token, { token: accessToken, audience, issuer: resolved.issuer })
      return { ok: true, token: accessToken }
    } catch (err) {
      return describeJoseError(err, resolved.issuer, audience)
    }
  }
  return { verifyAccessToken: verify }
}

function isCognitoAccessToken(payload: JWTPayload, audience: string): boolean {
  return payload.aud === undefined && payload.token_use === 'access' && payload.client_id === audience
}

function toAccessToken(payload: JWTPayload, header: Record<string, unknown>): AccessToken {
  const claims = payload as Record<string, unknown>
  return { subject: String(payload.sub), clientId: clientIdFromClaims(claims), scopes: scopesFromClaims(claims), claims, header, expiresAt: payload.exp as number }
}

/** jose's error as a verdict: its code and claim kept, a public description in words. */
export function describeJoseError(err: unknown, issuer: string, audience: string): AuthVerdict {
  if (err instanceof joseErrors.JWTExpired) return rejectToken(err.code, 'The access token expired', { claim: 'exp', detail: err.message })
  if (err instanceof joseErrors.JWTClaimValidationFailed) {
    const descriptions: Record<string, string> = {
      iss: `The access token was issued by another issuer (expected ${issuer})`,
      aud: `The access token is for another audience (expected ${audience})`,
      nbf: 'The access token is not valid yet',
      exp: 'The access token has no expiry',
      sub: 'The access token has no subject',
      iat: 'The access token has an invalid issue time',
    }
    return rejectToken(err.code, descriptions[err.claim] ?? `The access token's ${err.claim} claim is invalid`, { claim: err.claim, detail: `${err.claim}: ${err.message} (${err.reason})` })
  }
  if (err instanceof joseErrors.JOSEAlgNotAllowed) return rejectToken(err.code, 'The access token is signed with an algorithm that is not allowed', { claim: 'alg', detail: err.message })
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) return rejectToken(err.code, 'The access token signature is invalid', { claim: 'signature', detail: err.message })
  if (err instanceof joseErrors.JWKSNoMatchingKey) return rejectToken(err.code, 'The access token is signed with a key the issuer does not publish', { claim: 'kid', detail: err.message })
  if (err instanceof joseErrors.JWKSTimeout) return rejectToken(err.code, 'The issuer keys could not be fetched in time', { detail: err.message })
  if (err instanceof joseErrors.JWTInvalid || err instanceof joseErrors.JWSInvalid) return rejectToken(err.code, 'The access token is malformed', { detail: err.message })
  if (err instanceof joseErrors.JOSENotSupported) return rejectToken(err.code, 'The access token uses an unsupported feature', { detail: err.message })
  if (err instanceof joseErrors.JOSEError) return rejectToken(err.code, 'The access token is invalid', { detail: err.message })
  if (err instanceof WorkbenchError) return rejectToken(err.code, 'The access token cannot be checked', { detail: err.message })
  return rejectToken('ERR_TOKEN_INVALID', 'The access token is invalid', { detail: err instanceof Error ? err.message : String(err) })
}
