import { randomUUID } from 'node:crypto'
import {
  decodeProtectedHeader,
  generateKeyPair,
  SignJWT,
  UnsecuredJWT,
  decodeJwt,
  type JWTPayload,
} from 'jose'
import { WorkbenchError } from '../../shared/errors'
import {
  FORGE_VARIANTS,
  ForgeRequestSchema,
  type ForgeRequest,
  type ForgedToken,
  type ForgeVariant,
} from '../../shared/issuerTypes'
import type { IssuerSigner } from './issuerSigner'

export interface TokenForgeOptions {
  /** The development issuer's signer; null when tokens come from an external issuer (only unsigned or broken variants then). */
  signer: () => IssuerSigner | null
  /** The issuer identifier tokens claim: the development issuer's, or the external one's. */
  issuer: () => string
  /** The `aud` the server expects, used when the request names none. */
  audience: () => string
}

/** Mints test tokens, valid or broken in one chosen way. */
export interface TokenForge {
  mint(request: ForgeRequest): Promise<ForgedToken>
}

/** What the server should answer, as the verifier's reason code and a plain summary. */
const EXPECTATIONS: Record<ForgeVariant, string> = {
  valid: 'accepted',
  expired: 'refused: expired (ERR_JWT_EXPIRED, claim exp)',
  notYetValid: 'refused: not yet valid (ERR_JWT_CLAIM_VALIDATION_FAILED, claim nbf)',
  wrongAudience: 'refused: wrong audience (ERR_JWT_CLAIM_VALIDATION_FAILED, claim aud)',
  wrongIssuer: 'refused: wrong issuer (ERR_JWT_CLAIM_VALIDATION_FAILED, claim iss)',
  badSignature: 'refused: bad signature (ERR_JWS_SIGNATURE_VERIFICATION_FAILED)',
  algNone: 'refused: unsigned, alg "none" is never accepted',
  missingScope: 'accepted as a token, but widgets that need a scope answer insufficient_scope',
}

const SIGNED_BY_ISSUER: ReadonlySet<ForgeVariant> = new Set([
  'valid',
  'expired',
  'notYetValid',
  'wrongAudience',
  'wrongIssuer',
  'missingScope',
])
const HOUR = 3600

export function createTokenForge(options: TokenForgeOptions): TokenForge {
  let strangerKey: Promise<CryptoKey> | null = null
  const stranger = () => (strangerKey ??= generateKeyPair('RS256').then((pair) => pair.privateKey))

  function claimsFor(request: ReturnType<typeof ForgeRequestSchema.parse>): JWTPayload {
    const now = Math.floor(Date.now() / 1000)
    const scopes = request.variant === 'missingScope' ? [] : request.scopes
    const scopeClaim =
      request.scopeClaim === 'scope'
        ? { scope: scopes.join(' ') }
        : { [request.scopeClaim]: scopes }
    const claims: JWTPayload = {
      ...request.extraClaims,
      iss: options.issuer(),
      sub: request.subject,
      aud: request.audience ?? options.audience(),
      iat: now,
      exp: now + request.lifetimeSec,
      jti: randomUUID(),
      client_id: 'workbench-token-forge',
      ...scopeClaim,
      ...(request.name ? { name: request.name } : {}),
      ...(request.email ? { email: request.email } : {}),
    }
    switch (request.variant) {
      case 'expired':
        return { ...claims, iat: now - 2 * HOUR - request.lifetimeSec, exp: now - 2 * HOUR }
      case 'notYetValid':
        return { ...claims, nbf: now + 2 * HOUR, exp: now + 2 * HOUR + request.lifetimeSec }
      case 'wrongAudience':
        return { ...claims, aud: 'https://wrong-audience.invalid/mcp' }
      case 'wrongIssuer':
        return { ...claims, iss: 'https://wrong-issuer.invalid/' }
      default:
        return claims
    }
  }

  return {
    async mint(input) {
      const request = ForgeRequestSchema.parse(input)
      const signer = options.signer()
      if (!signer && SIGNED_BY_ISSUER.has(request.variant)) {
        const { label } = FORGE_VARIANTS[request.variant]
        const unsigned = `"${FORGE_VARIANTS.badSignature.label}" and "${FORGE_VARIANTS.algNone.label}"`
        throw new WorkbenchError(
          'ERR_FORGE_UNSUPPORTED',
          `A "${label}" token must be signed by the issuer, and the Workbench does not hold the external issuer's ` +
            `key. Only ${unsigned} can be forged for it; use Connect or the issuer itself for real tokens.`,
        )
      }
      const claims = claimsFor(request)
      let token: string
      if (request.variant === 'algNone') {
        token = new UnsecuredJWT(claims).encode()
      } else if (request.variant === 'badSignature') {
        // The issuer's kid with another key: the key lookup succeeds and the signature check is what fails.
        const header = { alg: 'RS256', typ: 'at+jwt', ...(signer ? { kid: signer.kid } : {}) }
        token = await new SignJWT(claims).setProtectedHeader(header).sign(await stranger())
      } else {
        token = await (signer as IssuerSigner).sign(claims)
      }
      return {
        token,
        variant: request.variant,
        label: FORGE_VARIANTS[request.variant].label,
        header: decodeProtectedHeader(token) as Record<string, unknown>,
        claims: decodeJwt(token) as Record<string, unknown>,
        expectation: EXPECTATIONS[request.variant],
        signedByIssuer: signer !== null && SIGNED_BY_ISSUER.has(request.variant),
      }
    },
  }
}
