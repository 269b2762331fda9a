import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { clientIdFromClaims, rejectToken, scopesFromClaims, type AccessToken, type TokenVerifier } from './accessToken'

type ProjectVerify = (token: string, context: { jwt: TokenVerifier }) => Promise<Partial<AccessToken> & { subject: string } | null> | (Partial<AccessToken> & { subject: string }) | null

const FILES = ['verifier.js', 'verifier.mjs']

/**
 * A project's own verifier: `verifier.js` exporting `verify(token, { jwt })` → an access token or null.
 * `jwt` is the default JWT verifier, so a project can add its checks on top of it.
 */
export async function loadProjectVerifier(projectDir: string, jwt: TokenVerifier, logLine: (line: string) => void): Promise<TokenVerifier | null> {
  for (const file of FILES) {
    const path = join(projectDir, file)
    let mtime: number
    try {
      mtime = (await stat(path)).mtimeMs
    } catch {
      continue
    }
    try {
      const mod = (await import(`${pathToFileURL(path).href}?v=${mtime}`)) as { default?: unknown; verify?: unknown }
      const verify = (mod.verify ?? mod.default) as ProjectVerify | undefined
      if (typeof verify !== 'function') {
        logLine(`${path}: export a function "verify" (or a default export); the JWT verifier is used instead`)
        return null
      }
      return {
        async verifyAccessToken(token) {
          try {
            const result = await verify(token, { jwt })
            if (!result) return rejectToken('ERR_TOKEN_REJECTED_BY_PROJECT', 'The access token was refused', { detail: `${file} returned null` })
            const claims = result.claims ?? {}
            return {
              ok: true,
              token: {
                subject: result.subject,
                clientId: result.clientId ?? clientIdFromClaims(claims),
                scopes: result.scopes ?? scopesFromClaims(claims),
                claims,
                header: result.header ?? {},
                expiresAt: result.expiresAt ?? (typeof claims.exp === 'number' ? claims.exp : Math.floor(Date.now() / 1000) + 60),
              },
            }
          } catch (err) {
            return rejectToken('ERR_TOKEN_VERIFIER_FAILED', 'The access token could not be checked', { detail: `${file} threw: ${(err as Error).message}` })
          }
        },
      }
    } catch (err) {
      logLine(`${path}: cannot load: ${(err as Error).message}; the JWT verifier is used instead`)
      return null
    }
  }
  return null
}
