import { decodeJwt, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose'
import { WorkbenchError } from '../../shared/errors'
import {
  accessTokenClaimRules,
  clientIdFromClaims,
  DEFAULT_CLOCK_TOLERANCE_SEC,
  issuerRule,
  scopesFromClaims,
} from '../../shared/tokenRules'
import { rejectToken, type AccessToken, type AuthVerdict, type TokenVerifier } from './accessToken'
import type { IssuerSource } from './issuerSource'

export interface JwtVerifierOptions {
  issuer: IssuerSource
  /** Expected `aud`, read per call so it can follow the public URL. */
  audience: () => string
  /** Accepted signature algorithms (asymmetric only). */
  algorithms: string[]
  /** Allowed clock skew for `exp`/`nbf`/`iat`, in seconds. Default 30. */
  clockToleranceSec?: number
  /** Verified tokens remembered until `exp`. Default 1000. */
  cacheSize?: number
}

const SYMMETRIC = /^HS|^none$/i

/**
 * The default TokenVerifier: a JWS access token checked with jose against the issuer's keys
 * (signature, `iss`, `exp`, `nbf`), then by the shared token rules (access token not ID token,
 * audience, `sub`, `iat`).
 */
export function createJwtVerifier(options: JwtVerifierOptions): TokenVerifier {
  const algorithms = options.algorithms.filter((a) => !SYMMETRIC.test(a))
  if (algorithms.length === 0)
    throw new TypeError('algorithms must name at least one asymmetric algorithm')
  const cacheSize = options.cacheSize ?? 1000
  const toleranceSec = options.clockToleranceSec ?? DEFAULT_CLOCK_TOLERANCE_SEC
  const cache = new Map<string, { token: AccessToken; audience: string; issuer: string }>()

  async function verify(token: string, remember: boolean): Promise<AuthVerdict> {
    let resolved
    try {
      resolved = await options.issuer.resolve()
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err)
      return rejectToken(
        'ERR_ISSUER_UNAVAILABLE',
        'The token cannot be checked: the issuer is unreachable.',
        {
          detail: message,
        },
      )
    }
    const audience = options.audience()
    const hit = cache.get(token)
    if (
      hit &&
      hit.audience === audience &&
      hit.issuer === resolved.issuer &&
      hit.token.expiresAt * 1000 > Date.now()
    ) {
      return { ok: true, token: hit.token }
    }
    if (hit) cache.delete(token)
    let verified
    try {
      verified = await jwtVerify(token, resolved.getKey, {
        issuer: resolved.issuer,
        algorithms,
        clockTolerance: toleranceSec,
        requiredClaims: ['exp', 'sub'],
      })
    } catch (err) {
      return describeJoseError(err, resolved.issuer, audience, token)
    }
    const header = verified.protectedHeader as unknown as Record<string, unknown>
    const claims = verified.payload as Record<string, unknown>
    const nowSec = Math.floor(Date.now() / 1000)
    const failed = accessTokenClaimRules(header, claims, { audience, nowSec, toleranceSec }).find(
      (r) => r.outcome === 'fail',
    )
    if (failed) {
      return rejectToken(failed.code ?? 'ERR_TOKEN_INVALID', failed.description ?? failed.detail, {
        claim: failed.check,
        detail: failed.detail,
      })
    }
    const accessToken = toAccessToken(verified.payload, header)
    if (remember) {
      if (cache.size >= cacheSize) cache.delete(cache.keys().next().value as string)
      cache.set(token, { token: accessToken, audience, issuer: resolved.issuer })
    }
    return { ok: true, token: accessToken }
  }
  return {
    verifyAccessToken: (token) => verify(token, true),
    inspectAccessToken: async (token) => ({ verdict: await verify(token, false), checks: [] }),
  }
}

function toAccessToken(payload: JWTPayload, header: Record<string, unknown>): AccessToken {
  const claims = payload as Record<string, unknown>
  return {
    subject: String(payload.sub),
    clientId: clientIdFromClaims(claims),
    scopes: scopesFromClaims(claims),
    claims,
    header,
    expiresAt: payload.exp as number,
  }
}

const KEY_ERRORS = [joseErrors.JWKSNoMatchingKey, joseErrors.JWSSignatureVerificationFailed]

/**
 * jose's error as a verdict: its code and claim kept, a public description in words. A token no
 * published key verifies is usually from another issuer: when its (unverified) `iss` differs, that
 * is what it says.
 */
export function describeJoseError(
  err: unknown,
  issuer: string,
  audience: string,
  token?: string,
): AuthVerdict {
  if (token && KEY_ERRORS.some((type) => err instanceof type)) {
    const otherIssuer = unverifiedIssuerMismatch(token, issuer)
    if (otherIssuer) {
      return rejectToken(
        (err as joseErrors.JOSEError).code,
        `${otherIssuer} (nor signed with a key it publishes)`,
        {
          claim: 'iss',
          detail: (err as Error).message,
        },
      )
    }
  }
  if (err instanceof joseErrors.JWTExpired) {
    return rejectToken(err.code, 'The access token expired', { claim: 'exp', detail: err.message })
  }
  if (err instanceof joseErrors.JWTClaimValidationFailed) {
    const descriptions: Record<string, string> = {
      iss: `The access token was issued by another issuer (expected ${issuer})`,
      aud: `The access token is for another audience (expected ${audience})`,
      nbf: 'The access token is not valid yet',
      exp: 'The access token has no expiry',
      sub: 'The access token has no subject',
      iat: 'The access token has an invalid issue time',
    }
    const description =
      descriptions[err.claim] ?? `The access token's ${err.claim} claim is invalid`
    return rejectToken(err.code, description, {
      claim: err.claim,
      detail: `${err.claim}: ${err.message} (${err.reason})`,
    })
  }
  const described: [new (...args: never[]) => joseErrors.JOSEError, string, string | null][] = [
    [
      joseErrors.JOSEAlgNotAllowed,
      'The access token is signed with an algorithm that is not allowed',
      'alg',
    ],
    [
      joseErrors.JWSSignatureVerificationFailed,
      'The access token signature is invalid',
      'signature',
    ],
    [
      joseErrors.JWKSNoMatchingKey,
      'The access token is signed with a key the issuer does not publish',
      'kid',
    ],
    [joseErrors.JWKSTimeout, 'The issuer keys could not be fetched in time', null],
    [joseErrors.JWTInvalid, 'The access token is malformed', null],
    [joseErrors.JWSInvalid, 'The access token is malformed', null],
    [joseErrors.JOSENotSupported, 'The access token uses an unsupported feature', null],
    [joseErrors.JOSEError, 'The access token is invalid', null],
  ]
  for (const [type, description, claim] of described) {
    if (err instanceof type)
      return rejectToken(err.code, description, { claim, detail: err.message })
  }
  if (err instanceof WorkbenchError) {
    return rejectToken(err.code, 'The access token cannot be checked', { detail: err.message })
  }
  const detail = err instanceof Error ? err.message : String(err)
  return rejectToken('ERR_TOKEN_INVALID', 'The access token is invalid', { detail })
}

function unverifiedIssuerMismatch(token: string, issuer: string): string | null {
  try {
    const result = issuerRule(decodeJwt(token) as Record<string, unknown>, issuer)
    return result.outcome === 'fail' ? (result.description ?? null) : null
  } catch {
    return null
  }
}
