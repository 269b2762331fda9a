import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { z } from 'zod'
import { clientIdFromClaims, scopesFromClaims } from '../../shared/tokenRules'
import { rejectToken, type AccessToken, type AuthVerdict, type TokenVerifier } from './accessToken'

type ProjectVerify = (token: string, context: { jwt: TokenVerifier }) => unknown

const FILES = ['verifier.js', 'verifier.mjs']

/** What a project verifier may return for an accepted token: at least a subject. */
const ProjectAccessTokenSchema = z.object({
  subject: z.string().min(1),
  clientId: z.string().nullable().optional(),
  scopes: z.array(z.string()).optional(),
  claims: z.record(z.string(), z.unknown()).optional(),
  header: z.record(z.string(), z.unknown()).optional(),
  expiresAt: z.number().optional(),
})

/** A verdict of the JWT verifier passed through (`return jwt.verifyAccessToken(token)`). */
const PassedVerdictSchema = z.union([
  z.object({ ok: z.literal(true), token: ProjectAccessTokenSchema }),
  z.object({ ok: z.literal(false), reason: z.string(), description: z.string() }).loose(),
])

/**
 * A project's own verifier: `verifier.js` exporting `verify(token, { jwt })` → an access token with
 * a subject, or null (refused). `jwt` is the default JWT verifier, so a project can add its checks
 * on top of it; returning its verdict as is also works. Anything else is refused, naming what came
 * back.
 */
export async function loadProjectVerifier(
  projectDir: string,
  jwt: TokenVerifier,
  logLine: (line: string) => void,
): Promise<TokenVerifier | null> {
  for (const file of FILES) {
    const path = join(projectDir, file)
    let mtime: number
    try {
      mtime = (await stat(path)).mtimeMs
    } catch {
      continue
    }
    try {
      const mod = (await import(`${pathToFileURL(path).href}?v=${mtime}`)) as {
        default?: unknown
        verify?: unknown
      }
      const verify = (mod.verify ?? mod.default) as ProjectVerify | undefined
      if (typeof verify !== 'function') {
        const fallback = 'the JWT verifier is used instead'
        logLine(`${path}: export a function "verify" (or a default export); ${fallback}`)
        return null
      }
      return projectVerifier(file, verify, jwt)
    } catch (err) {
      logLine(`${path}: cannot load: ${(err as Error).message}; the JWT verifier is used instead`)
      return null
    }
  }
  return null
}

function projectVerifier(file: string, verify: ProjectVerify, jwt: TokenVerifier): TokenVerifier {
  async function run(token: string, context: { jwt: TokenVerifier }): Promise<AuthVerdict> {
    let result: unknown
    try {
      result = await verify(token, context)
    } catch (err) {
      return rejectToken('ERR_TOKEN_VERIFIER_FAILED', 'The access token could not be checked', {
        detail: `${file} threw: ${(err as Error).message}`,
      })
    }
    return verdictFrom(file, result)
  }
  // Inspection hands the project the JWT verifier's side-effect-free face, so it stays without
  // effects.
  const inspectingJwt: TokenVerifier = {
    verifyAccessToken: async (token) => (await jwt.inspectAccessToken(token)).verdict,
    inspectAccessToken: (token) => jwt.inspectAccessToken(token),
  }
  return {
    verifyAccessToken: (token) => run(token, { jwt }),
    inspectAccessToken: async (token) => ({
      verdict: await run(token, { jwt: inspectingJwt }),
      checks: [],
    }),
  }
}

/**
 * What the project's `verify` returned, as a verdict; anything but an access token with a subject
 * is refused.
 */
function verdictFrom(file: string, result: unknown): AuthVerdict {
  if (result === null || result === undefined || result === false) {
    return rejectToken('ERR_TOKEN_REJECTED_BY_PROJECT', 'The access token was refused', {
      detail: `${file} returned ${String(result)}`,
    })
  }
  const passed = PassedVerdictSchema.safeParse(result)
  if (passed.success && !passed.data.ok) {
    const { reason, description } = passed.data
    return rejectToken(reason, description, {
      detail: `${file} returned the JWT verifier's refusal: ${reason}`,
    })
  }
  const direct = ProjectAccessTokenSchema.safeParse(result)
  const token =
    passed.success && passed.data.ok ? passed.data.token : direct.success ? direct.data : null
  if (!token) {
    const what = describeValue(result)
    const description = `The project verifier returned ${what}, not an access token with a subject`
    return rejectToken('ERR_TOKEN_VERIFIER_RESULT', description, {
      detail: `${file} returned ${what}; return { subject, scopes?, claims? } or null`,
    })
  }
  return { ok: true, token: toAccessToken(token) }
}

function toAccessToken(result: z.infer<typeof ProjectAccessTokenSchema>): AccessToken {
  const claims = result.claims ?? {}
  const exp = typeof claims.exp === 'number' ? claims.exp : Math.floor(Date.now() / 1000) + 60
  return {
    subject: result.subject,
    clientId: result.clientId ?? clientIdFromClaims(claims),
    scopes: result.scopes ?? scopesFromClaims(claims),
    claims,
    header: result.header ?? {},
    expiresAt: result.expiresAt ?? exp,
  }
}

/** The shape of a value, never its content: a verifier may hand back the token itself. */
function describeValue(value: unknown): string {
  if (typeof value === 'string') return `a string of ${value.length} characters`
  if (Array.isArray(value)) return `an array of ${value.length} items`
  if (typeof value !== 'object' || value === null) return `${typeof value} ${String(value)}`
  const keys = Object.keys(value)
  const subject = (value as { subject?: unknown }).subject
  const subjectNote =
    'subject' in value
      ? ` (subject is ${typeof subject === 'string' ? 'empty' : typeof subject})`
      : ''
  return keys.length
    ? `an object with ${keys.slice(0, 8).join(', ')}${subjectNote}`
    : 'an empty object'
}
