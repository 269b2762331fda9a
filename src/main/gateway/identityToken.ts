import { SignJWT, type JWK } from 'jose'
import type { IdentityKey } from './identityKeys'

export const IDENTITY_JWKS_PATH = '/.well-known/workbench-identity-jwks.json'
/** Lifetime of a forwarded identity, in seconds (the issue caps it at 5 minutes). */
export const IDENTITY_TTL_SEC = 300
export const IDENTITY_TYP = 'workbench-identity+jwt'

/** The verified caller the identity speaks for. */
export interface Caller {
  subject: string
  scopes: string[]
  clientId: string | null
}

export interface IdentitySigner {
  /** A JWS for `audience` (the upstream), reused while it has over a minute left. */
  sign(caller: Caller, audience: string): Promise<string>
  jwks(): { keys: JWK[] }
}

const MAX_CACHED = 1000

/** Signs short-lived identities with the Workbench's key; `issuer` is the Workbench's base URL. */
export function createIdentitySigner(key: IdentityKey, issuer: () => string): IdentitySigner {
  const cache = new Map<string, { token: string; exp: number }>()
  return {
    async sign(caller, audience) {
      const now = Math.floor(Date.now() / 1000)
      const iss = issuer()
      const cacheKey = JSON.stringify([
        caller.subject,
        caller.scopes,
        caller.clientId,
        audience,
        iss,
      ])
      const hit = cache.get(cacheKey)
      if (hit && hit.exp - now > 60) return hit.token
      const exp = now + IDENTITY_TTL_SEC
      const token = await new SignJWT({
        scope: caller.scopes.join(' '),
        client_id: caller.clientId ?? undefined,
      })
        .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: IDENTITY_TYP })
        .setSubject(caller.subject)
        .setIssuer(iss)
        .setAudience(audience)
        .setIssuedAt(now)
        .setExpirationTime(exp)
        .sign(key.privateKey)
      if (cache.size >= MAX_CACHED) cache.clear()
      cache.set(cacheKey, { token, exp })
      return token
    },
    jwks: () => ({ keys: [key.publicJwk] }),
  }
}
