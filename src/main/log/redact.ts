import { createHash } from 'node:crypto'

/**
 * The first `length` hex characters of the token's SHA-256: enough to tell tokens apart, useless to
 * replay.
 */
export function tokenFingerprint(token: string, length = 8): string {
  return fingerprintOf(token).slice(0, length)
}

/**
 * The same bearer token arrives on every call of a session: its digest is remembered for the few
 * most recent secrets (already held in memory by the request) rather than hashed per request.
 */
const recentDigests = new Map<string, string>()
const RECENT_DIGESTS = 64
function fingerprintOf(secret: string): string {
  let digest = recentDigests.get(secret)
  if (digest === undefined) {
    digest = createHash('sha256').update(secret).digest('hex')
    if (recentDigests.size >= RECENT_DIGESTS) recentDigests.clear()
    recentDigests.set(secret, digest)
  }
  return digest
}

/** What a secret is replaced with: its fingerprint, so rows stay correlatable. */
export function redacted(secret: string): string {
  return `[redacted sha256:${tokenFingerprint(secret)}]`
}

/** Object keys and form/query parameters whose (string) value is a credential. */
export const SECRET_PARAMS = new Set([
  'access_token',
  'id_token',
  'refresh_token',
  'code',
  'client_secret',
  'code_verifier',
  'password',
  'registration_access_token',
  'client_assertion',
  'assertion',
  'device_code',
  'subject_token',
  'actor_token',
  'logout_token',
  'id_token_hint',
  'token',
  'authtoken',
  'secret',
  'api_key',
  'apikey',
  'authorization',
  'cookie',
  'set-cookie',
  'proxy-authorization',
  'x-ngrok-authtoken',
])

const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization'])
const SECRET_HEADER_NAME = /token|secret|api-?key|password/i

/** Headers safe to keep: credentials and every cookie value replaced by a fingerprint. */
export function redactHeaders(headers: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || value === null) continue
    const lower = name.toLowerCase()
    if (Array.isArray(value)) {
      const parts = value.map((v) => redactHeaderValue(lower, String(v)))
      out[name] = parts.join(lower === 'set-cookie' ? '\n' : ', ')
    } else {
      out[name] = redactHeaderValue(lower, String(value))
    }
  }
  return out
}

function redactHeaderValue(name: string, value: string): string {
  if (SECRET_HEADERS.has(name)) return redactCredential(value)
  if (name === 'cookie') return redactCookies(value)
  if (name === 'set-cookie') return redactSetCookie(value)
  if (SECRET_HEADER_NAME.test(name)) return redacted(value)
  return redactText(value)
}

/** `Bearer abc` → `Bearer [redacted sha256:…]`; a value without a scheme is fingerprinted whole. */
export function redactCredential(value: string): string {
  const match = /^(\S+)\s+(\S.*)$/.exec(value.trim())
  if (!match) return redacted(value)
  return `${match[1]} ${redacted(match[2])}`
}

/** `a=1; b=2` → every value fingerprinted, names kept. */
export function redactCookies(value: string): string {
  return value
    .split(';')
    .map((pair) => {
      const eq = pair.indexOf('=')
      if (eq < 0) return pair.trim() ? redacted(pair.trim()) : pair
      return `${pair.slice(0, eq).trim()}=${redacted(pair.slice(eq + 1).trim())}`
    })
    .join('; ')
}

/** `name=value; Path=/; HttpOnly` → the value fingerprinted, attributes kept. */
function redactSetCookie(value: string): string {
  const [first, ...attributes] = value.split(';')
  const eq = first.indexOf('=')
  const pair =
    eq < 0
      ? redacted(first.trim())
      : `${first.slice(0, eq).trim()}=${redacted(first.slice(eq + 1).trim())}`
  // Attributes too: the issuer scopes its interaction cookies to `path=/oauth/interaction/<uid>`.
  return [pair, ...attributes.map((a) => redactText(a.trim()))].join('; ')
}

const JWT_LIKE = /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g
const PARAM_NAMES = [...SECRET_PARAMS].filter((p) => /^[a-z_]+$/.test(p)).join('|')
// `code=…` in a URL, a query string, a form body or a Location header; the value ends at & # space
// or quote.
const SECRET_PARAM = new RegExp(`(^|[?&#;\\s])(${PARAM_NAMES})=([^&#\\s"';]+)`, 'gi')

// The issuer's interaction and resume ids (`/oauth/interaction/<uid>`, `/oauth/auth/<uid>`) are its
// cookies' values.
const SESSION_PATH = /(\/(?:interaction|auth)\/)([A-Za-z0-9_-]{16,})/g

/**
 * Free text (URLs, form bodies, messages): JWTs, secret parameters and session ids replaced by
 * fingerprints.
 */
export function redactText(text: string): string {
  if (text.length < 8) return text
  // Each pattern has a fixed marker; most text (header values, plain arguments) has none.
  let out = text
  if (out.includes('/interaction/') || out.includes('/auth/'))
    out = out.replace(SESSION_PATH, (_all, lead: string, id: string) => `${lead}${redacted(id)}`)
  if (out.includes('='))
    out = out.replace(SECRET_PARAM, (_all, lead: string, name: string, value: string) =>
      value.startsWith('[redacted') ? _all : `${lead}${name}=${redacted(safeDecode(value))}`,
    )
  if (out.includes('eyJ')) out = out.replace(JWT_LIKE, (token) => redacted(token))
  return out
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '))
  } catch {
    return value
  }
}

/** Replaces anything shaped like a JWT in free text (exports, log lines) with its fingerprint. */
export function redactTokensInText(text: string): string {
  return text.replace(JWT_LIKE, (token) => `[token sha256:${tokenFingerprint(token)}]`)
}

const FIELD_NAMES = [...SECRET_PARAMS].map((p) => p.replace(/[-]/g, '\\-')).join('|')
// `"code": "…"` in JSON, and `\"code\":\"…\"` in JSON carried inside a JSON string (a tool's text).
const SECRET_FIELD = new RegExp(`"(${FIELD_NAMES})"(\\s*:\\s*)"((?:[^"\\\\]|\\\\.)*)"`, 'gi')
const ESCAPED_SECRET_FIELD = new RegExp(
  `\\\\"(${FIELD_NAMES})\\\\"(\\s*:\\s*)\\\\"((?:[^"\\\\]|\\\\[^"])*)\\\\"`,
  'gi',
)

/**
 * JSON text (a body, possibly cut short) with the string values of secret fields (`refresh_token`,
 * `client_secret`, `registration_access_token`, …) replaced by fingerprints; the rest kept as is.
 */
export function redactSecretFields(text: string): string {
  if (!text.includes('"')) return text
  return text
    .replace(SECRET_FIELD, (all, name: string, colon: string, value: string) =>
      value.startsWith('[redacted') ? all : `"${name}"${colon}"${redacted(jsonString(value))}"`,
    )
    .replace(ESCAPED_SECRET_FIELD, (all, name: string, colon: string, value: string) =>
      value.startsWith('[redacted') ? all : `\\"${name}\\"${colon}\\"${redacted(value)}\\"`,
    )
}

function jsonString(escaped: string): string {
  try {
    return JSON.parse(`"${escaped}"`) as string
  } catch {
    return escaped
  }
}
