import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

/** The browser-mode secret: 32 random bytes, base64url, checked in constant time. */
export interface BridgeSecret {
  readonly value: string
  matches(candidate: string | null | undefined): boolean
}

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest()

export function createBridgeSecret(): BridgeSecret {
  const value = randomBytes(32).toString('base64url')
  const expected = digest(value)
  return {
    value,
    // Hashing first gives equal lengths, so timingSafeEqual does not leak the secret's length.
    matches: (candidate) =>
      typeof candidate === 'string' && timingSafeEqual(digest(candidate), expected),
  }
}
