import { chmod, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose'
import { writeFileAtomic } from '../config/writeFileAtomic'

export const IDENTITY_KEY_FILE = 'gateway-identity-key.json'
export const IDENTITY_ALG = 'ES256'

export interface IdentityKey {
  kid: string
  privateKey: CryptoKey
  publicJwk: JWK
}

/** The key the Workbench signs forwarded identities with; kept (mode 0600) so upstream JWKS caches stay valid. */
export async function loadIdentityKey(dataDir: string): Promise<IdentityKey> {
  const path = join(dataDir, IDENTITY_KEY_FILE)
  let jwk = await readFile(path, 'utf8').then(
    (t) => JSON.parse(t) as JWK,
    () => null,
  )
  if (!jwk || jwk.kty !== 'EC' || jwk.crv !== 'P-256' || typeof jwk.d !== 'string') {
    const { privateKey } = await generateKeyPair(IDENTITY_ALG, { extractable: true })
    jwk = await exportJWK(privateKey)
    await writeFileAtomic(path, JSON.stringify(jwk), { mode: 0o600 })
    await chmod(path, 0o600)
  }
  const { d: _private, ...publicPart } = jwk
  const kid = await calculateJwkThumbprint(publicPart)
  return {
    kid,
    privateKey: (await importJWK(jwk, IDENTITY_ALG)) as CryptoKey,
    publicJwk: { ...publicPart, kid, alg: IDENTITY_ALG, use: 'sig' },
  }
}
