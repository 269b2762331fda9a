import { SignJWT, type JWTPayload } from 'jose'
import type { IssuerKeys } from './issuerKeys'

/** Signs JWTs with the development issuer's key: what the token forge and "call as test user" use. */
export interface IssuerSigner {
  readonly kid: string
  readonly alg: string
  /** The current issuer identifier (it follows the public URL). */
  issuer(): string
  /** Signs `payload` as is (no claim is added); `typ` defaults to `at+jwt` (RFC 9068). */
  sign(payload: JWTPayload, header?: { typ?: string; kid?: string }): Promise<string>
}

export function createIssuerSigner(keys: IssuerKeys, issuer: () => string): IssuerSigner {
  return {
    kid: keys.kid,
    alg: keys.alg,
    issuer,
    sign: (payload, header = {}) =>
      new SignJWT(payload)
        .setProtectedHeader({
          alg: keys.alg,
          kid: header.kid ?? keys.kid,
          typ: header.typ ?? 'at+jwt',
        })
        .sign(keys.privateKey),
  }
}
