import { createHash } from 'node:crypto'

/** The first `length` hex characters of the token's SHA-256: enough to tell tokens apart, useless to replay. */
export function tokenFingerprint(token: string, length = 8): string {
  return createHash('sha256').update(token).digest('hex').slice(0, length)
}

const SECRET_HEADERS = new Set(['authorization', 'cookie', 'set-cookie', 'proxy-authorization', 'x-ngrok-authtoken'])

/** Request headers safe to keep: credentials replaced by their scheme and a fingerprint. */
export function redactHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue
    const text = Array.isArray(value) ? value.join(', ') : value
    out[name] = SECRET_HEADERS.has(name.toLowerCase()) ? redactCredential(text) : text
  }
  return out
}

export function redactCredential(value: string): string {
  const match = /^(\S+)\s+(\S+)/.exec(value)
  if (!match) return '[redacted]'
  return `${match[1]} [redacted sha256:${tokenFingerprint(match[2])}]`
}

const JWT_LIKE = /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g

/** Replaces anything shaped like a JWT in free text (exports, log lines) with its fingerprint. */
export function redactTokensInText(text: string): string {
  return text.replace(JWT_LIKE, (token) => `[token sha256:${tokenFingerprint(token)}]`)
}
