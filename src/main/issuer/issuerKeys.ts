import { readFile, chmod } from 'node:fs/promises'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose'
import { writeFileAtomic } from '../config/writeFileAtomic'

export const ISSUER_KEYS_FILE = 'dev-issuer-keys.json'
export const ISSUER_ALG = 'RS256'

/** The development issuer's signing key and cookie secret, persisted so tokens and sessions survive restarts. */
export interface IssuerKeys {
  kid: string
  alg: typeof ISSUER_ALG
  privateJwk: JWK
  publicJwk: JWK
  privateKey: CryptoKey
  cookieKeys: string[]
}

interface StoredKeys {
  keys: JWK[]
  cookieKeys: string[]
}

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi'] as const

/** Reads `dev-issuer-keys.json` from `dataDir`, or creates it (mode 0600) with a new RS256 key. */
export async function loadIssuerKeys(dataDir: string): Promise<IssuerKeys> {
  const path = join(dataDir, ISSUER_KEYS_FILE)
  const stored = await readStored(path)
  if (stored) return toIssuerKeys(stored)
  const { privateKey } = await generateKeyPair(ISSUER_ALG, {
    extractable: true,
    modulusLength: 2048,
  })
  const jwk = await exportJWK(privateKey)
  const kid = await calculateJwkThumbprint(jwk)
  const fresh: StoredKeys = {
    keys: [{ ...jwk, kid, alg: ISSUER_ALG, use: 'sig' }],
    cookieKeys: [randomBytes(32).toString('base64url')],
  }
  await writeFileAtomic(path, JSON.stringify(fresh, null, 2), { mode: 0o600 })
  await chmod(path, 0o600)
  return toIssuerKeys(fresh)
}

async function readStored(path: string): Promise<StoredKeys | null> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw err
  }
  const parsed = JSON.parse(text) as Partial<StoredKeys>
  const key = parsed.keys?.[0]
  // A damaged or foreign file is replaced rather than trusted: tokens minted before simply stop verifying.
  if (!key || key.kty !== 'RSA' || typeof key.d !== 'string' || typeof key.kid !== 'string')
    return null
  return {
    keys: [key],
    cookieKeys: parsed.cookieKeys?.length
      ? parsed.cookieKeys
      : [randomBytes(32).toString('base64url')],
  }
}

async function toIssuerKeys(stored: StoredKeys): Promise<IssuerKeys> {
  const privateJwk = stored.keys[0]
  const publicJwk: JWK = { ...privateJwk }
  for (const member of PRIVATE_MEMBERS) delete publicJwk[member]
  const privateKey = (await importJWK(privateJwk, ISSUER_ALG)) as CryptoKey
  return {
    kid: privateJwk.kid as string,
    alg: ISSUER_ALG,
    privateJwk,
    publicJwk,
    privateKey,
    cookieKeys: stored.cookieKeys,
  }
}
