import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createExternalIssuerSource } from '../../src/main/auth/externalIssuerSource'
import { loadProjectVerifier } from '../../src/main/auth/loadProjectVerifier'
import { createJwtVerifier } from '../../src/main/auth/verifyAccessToken'
import type { TokenVerifier } from '../../src/main/auth/accessToken'
import { startLocalIssuer, type LocalIssuer } from '../support/localIssuer'

const AUD = 'https://api.workbench.test'
let issuer: LocalIssuer
let jwt: TokenVerifier
let dir: string

beforeAll(async () => {
  issuer = await startLocalIssuer()
  jwt = createJwtVerifier({
    issuer: createExternalIssuerSource(new URL(issuer.issuer)),
    audience: () => AUD,
    algorithms: ['RS256'],
  })
  dir = await mkdtemp(join(tmpdir(), 'workbench-verifier-'))
})
afterAll(async () => {
  await issuer.close()
  await rm(dir, { recursive: true, force: true })
})

/** A project folder whose verifier.mjs body is `source`; loaded as the app loads it. */
async function projectVerifier(source: string): Promise<TokenVerifier> {
  const folder = await mkdtemp(join(dir, 'p-'))
  await writeFile(
    join(folder, 'verifier.mjs'),
    `export async function verify(token, { jwt }) { ${source} }`,
  )
  const lines: string[] = []
  const loaded = await loadProjectVerifier(folder, jwt, (line) => lines.push(line))
  if (!loaded) throw new Error(`verifier not loaded: ${lines.join('; ')}`)
  return loaded
}

describe('a project verifier fails closed (issue 8 item 8)', () => {
  it("refuses garbage when the verifier returns the JWT verifier's verdict, and accepts a good token", async () => {
    const passThrough = await projectVerifier('return jwt.verifyAccessToken(token)')
    expect(await passThrough.verifyAccessToken('garbage')).toMatchObject({
      ok: false,
      status: 401,
      reason: 'ERR_JWS_INVALID',
    })
    const good = await issuer.mint({ sub: 'carol', aud: AUD, scope: 'user' })
    expect(await passThrough.verifyAccessToken(good)).toMatchObject({
      ok: true,
      token: { subject: 'carol', scopes: ['user'] },
    })
  })

  it('refuses anything that is not an access token with a subject, and says what came back', async () => {
    const cases: [string, RegExp][] = [
      ['return {}', /returned an empty object/],
      ['return { ok: true }', /returned an object with ok/],
      ['return { subject: 42 }', /returned an object with subject \(subject is number\)/],
      ['return token', /returned a string of \d+ characters/],
      ['return true', /returned boolean true/],
    ]
    for (const [body, said] of cases) {
      const verifier = await projectVerifier(body)
      const verdict = await verifier.verifyAccessToken('garbage')
      expect(verdict, body).toMatchObject({
        ok: false,
        status: 401,
        reason: 'ERR_TOKEN_VERIFIER_RESULT',
      })
      expect(verdict.ok ? '' : `${verdict.description} | ${verdict.detail}`, body).toMatch(said)
    }
  })

  it('refuses on null and on a throw, and accepts a plain access token', async () => {
    expect(await (await projectVerifier('return null')).verifyAccessToken('t')).toMatchObject({
      ok: false,
      reason: 'ERR_TOKEN_REJECTED_BY_PROJECT',
    })
    expect(
      await (await projectVerifier('throw new Error("db down")')).verifyAccessToken('t'),
    ).toMatchObject({
      ok: false,
      reason: 'ERR_TOKEN_VERIFIER_FAILED',
      detail: expect.stringMatching(/db down/),
    })
    const plain = await projectVerifier('return { subject: "dave", scopes: ["user"] }')
    expect(await plain.verifyAccessToken('t')).toMatchObject({
      ok: true,
      token: { subject: 'dave', scopes: ['user'] },
    })
  })
})
