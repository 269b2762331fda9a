import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { SignJWT, UnsecuredJWT, base64url, generateKeyPair, CompactEncrypt, importJWK } from 'jose'
import { createExternalIssuerSource } from '../../src/main/auth/externalIssuerSource'
import { createJwtVerifier } from '../../src/main/auth/verifyAccessToken'
import { withTokenChecks } from '../../src/main/auth/tokenChecks'
import { TokenChecksSchema, ASYMMETRIC_ALGORITHMS } from '../../src/shared/config'
import type { TokenVerifier } from '../../src/main/auth/accessToken'
import { startLocalIssuer, type LocalIssuer } from '../support/localIssuer'

const AUD = 'https://api.workbench.test'
let issuer: LocalIssuer
let verifier: TokenVerifier

beforeAll(async () => {
  issuer = await startLocalIssuer()
  verifier = createJwtVerifier({
    issuer: createExternalIssuerSource(new URL(issuer.issuer)),
    audience: () => AUD,
    algorithms: [...ASYMMETRIC_ALGORITHMS],
    clockToleranceSec: 30,
  })
})
afterAll(() => issuer.close())

const now = () => Math.floor(Date.now() / 1000)
const valid = (extra: Record<string, unknown> = {}) =>
  issuer.mint({ sub: 'user-1', aud: AUD, scope: 'user', ...extra })

describe('the JWT verifier (RFC 8725 / OWASP)', () => {
  it('accepts a well-formed token from the issuer', async () => {
    expect(await verifier.verifyAccessToken(await valid())).toMatchObject({
      ok: true,
      token: { subject: 'user-1', scopes: ['user'] },
    })
  })

  it('rejects an expired token', async () => {
    expect(await verifier.verifyAccessToken(await valid({ exp: now() - 120 }))).toMatchObject({
      ok: false,
      status: 401,
      error: 'invalid_token',
      reason: 'ERR_JWT_EXPIRED',
      claim: 'exp',
    })
  })

  it('tolerates small clock skew on exp', async () => {
    expect(await verifier.verifyAccessToken(await valid({ exp: now() - 5 }))).toMatchObject({
      ok: true,
    })
  })

  it('rejects a token that is not valid yet', async () => {
    expect(await verifier.verifyAccessToken(await valid({ nbf: now() + 600 }))).toMatchObject({
      ok: false,
      reason: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
      claim: 'nbf',
    })
  })

  it('rejects a token without exp', async () => {
    const token = await valid({ exp: undefined })
    expect(await verifier.verifyAccessToken(token)).toMatchObject({ ok: false, claim: 'exp' })
  })

  it('rejects a token minted for another audience', async () => {
    expect(
      await verifier.verifyAccessToken(await valid({ aud: 'https://elsewhere.example' })),
    ).toMatchObject({ ok: false, reason: 'ERR_JWT_CLAIM_VALIDATION_FAILED', claim: 'aud' })
  })

  it('accepts a Cognito access token, which names its audience in client_id, and nothing else without aud', async () => {
    expect(
      await verifier.verifyAccessToken(
        await valid({ aud: undefined, token_use: 'access', client_id: AUD }),
      ),
    ).toMatchObject({ ok: true })
    expect(
      await verifier.verifyAccessToken(
        await valid({ aud: undefined, token_use: 'id', client_id: AUD }),
      ),
    ).toMatchObject({ ok: false, claim: 'token_use' })
    expect(
      await verifier.verifyAccessToken(
        await valid({ aud: undefined, token_use: 'access', client_id: 'other' }),
      ),
    ).toMatchObject({ ok: false, claim: 'aud' })
    expect(
      await verifier.verifyAccessToken(
        await valid({ aud: 'https://elsewhere.example', token_use: 'access', client_id: AUD }),
      ),
    ).toMatchObject({ ok: false, claim: 'aud' })
  })

  it('rejects a token from another issuer', async () => {
    expect(
      await verifier.verifyAccessToken(await valid({ iss: 'https://evil.example/' })),
    ).toMatchObject({ ok: false, claim: 'iss' })
  })

  it('rejects alg "none"', async () => {
    const token = new UnsecuredJWT({
      sub: 'user-1',
      aud: AUD,
      iss: issuer.issuer,
      exp: now() + 600,
    }).encode()
    expect(await verifier.verifyAccessToken(token)).toMatchObject({ ok: false, status: 401 })
  })

  it('rejects HS256 signed with the public key (algorithm confusion)', async () => {
    const secret = new TextEncoder().encode(JSON.stringify(issuer.publicJwk()))
    const token = await new SignJWT({
      sub: 'user-1',
      aud: AUD,
      iss: issuer.issuer,
      exp: now() + 600,
    })
      .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
      .sign(secret)
    expect(await verifier.verifyAccessToken(token)).toMatchObject({
      ok: false,
      reason: 'ERR_JOSE_ALG_NOT_ALLOWED',
    })
  })

  it('rejects a token signed by a key the issuer does not publish, even with a jwk/jku header', async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true })
    const { exportJWK } = await import('jose')
    const token = await issuer.mint(
      { sub: 'user-1', aud: AUD },
      {
        key: privateKey,
        kid: 'attacker',
        header: { jku: 'https://evil.example/jwks', jwk: await exportJWK(publicKey) },
      },
    )
    expect(await verifier.verifyAccessToken(token)).toMatchObject({
      ok: false,
      reason: 'ERR_JWKS_NO_MATCHING_KEY',
    })
  })

  it('rejects a tampered payload (bad signature)', async () => {
    const [h, , s] = (await valid()).split('.')
    const forged = base64url.encode(
      JSON.stringify({
        sub: 'admin',
        aud: AUD,
        iss: issuer.issuer,
        exp: now() + 600,
        scope: 'admin',
      }),
    )
    expect(await verifier.verifyAccessToken(`${h}.${forged}.${s}`)).toMatchObject({
      ok: false,
      reason: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    })
  })

  it('rejects an encrypted token (JWE) and garbage', async () => {
    const key = await importJWK(
      { kty: 'oct', k: base64url.encode(new Uint8Array(32)), alg: 'dir' },
      'dir',
    )
    const jwe = await new CompactEncrypt(new TextEncoder().encode('{}'))
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
      .encrypt(key)
    expect(await verifier.verifyAccessToken(jwe)).toMatchObject({ ok: false, status: 401 })
    expect(await verifier.verifyAccessToken('not.a.jwt')).toMatchObject({ ok: false, status: 401 })
  })

  it('rejects an unknown critical header', async () => {
    const token = await issuer.mint(
      { sub: 'user-1', aud: AUD },
      { header: { crit: ['exp-policy'], 'exp-policy': 1 }, crit: { 'exp-policy': true } },
    )
    expect(await verifier.verifyAccessToken(token)).toMatchObject({ ok: false, status: 401 })
  })

  it('refetches the JWKS when a new kid appears (key rotation), at most once per cooldown', async () => {
    const rotating = await startLocalIssuer()
    vi.useFakeTimers({ toFake: ['Date'] })
    try {
      const v = createJwtVerifier({
        issuer: createExternalIssuerSource(new URL(rotating.issuer)),
        audience: () => AUD,
        algorithms: ['RS256'],
      })
      const mint = () => rotating.mint({ sub: 'u', aud: AUD })
      expect(await v.verifyAccessToken(await mint())).toMatchObject({ ok: true })
      await rotating.rotate()
      expect(await v.verifyAccessToken(await mint())).toMatchObject({
        ok: false,
        reason: 'ERR_JWKS_NO_MATCHING_KEY',
      })
      const fetchesInCooldown = rotating.jwksFetches()
      vi.setSystemTime(Date.now() + 31_000)
      expect(await v.verifyAccessToken(await mint())).toMatchObject({ ok: true })
      expect(rotating.jwksFetches()).toBe(fetchesInCooldown + 1)
    } finally {
      vi.useRealTimers()
      await rotating.close()
    }
  })

  it('only allows the configured algorithms', async () => {
    const es256Only = createJwtVerifier({
      issuer: createExternalIssuerSource(new URL(issuer.issuer)),
      audience: () => AUD,
      algorithms: ['ES256'],
    })
    expect(await es256Only.verifyAccessToken(await valid())).toMatchObject({
      ok: false,
      reason: 'ERR_JOSE_ALG_NOT_ALLOWED',
    })
    expect(() =>
      createJwtVerifier({
        issuer: createExternalIssuerSource(new URL(issuer.issuer)),
        audience: () => AUD,
        algorithms: ['HS256'],
      }),
    ).toThrow(TypeError)
  })
})

describe('issuer discovery', () => {
  it('matches an issuer published with a trailing slash and verifies iss exactly as published', async () => {
    const auth0Like = await startLocalIssuer({ trailingSlash: true })
    try {
      const typed = new URL(auth0Like.issuer.replace(/\/$/, ''))
      const v = createJwtVerifier({
        issuer: createExternalIssuerSource(typed),
        audience: () => AUD,
        algorithms: ['RS256'],
      })
      expect(await v.verifyAccessToken(await auth0Like.mint({ sub: 'u', aud: AUD }))).toMatchObject(
        { ok: true },
      )
      const noSlash = await auth0Like.mint({
        sub: 'u',
        aud: AUD,
        iss: typed.href.replace(/\/$/, ''),
      })
      expect(await v.verifyAccessToken(noSlash)).toMatchObject({ ok: false, claim: 'iss' })
    } finally {
      await auth0Like.close()
    }
  })

  it('refuses an http issuer that is not on loopback', async () => {
    const source = createExternalIssuerSource(new URL('http://issuer.example.com'))
    await expect(source.resolve()).rejects.toMatchObject({ code: 'ERR_ISSUER_DISCOVERY' })
    expect(source.status()).toMatchObject({
      state: 'failed',
      error: expect.stringMatching(/only loopback/),
    })
  })

  it('reports an unreachable issuer as a verdict, not a crash', async () => {
    const v = createJwtVerifier({
      issuer: createExternalIssuerSource(new URL('http://127.0.0.1:9/')),
      audience: () => AUD,
      algorithms: ['RS256'],
    })
    expect(await v.verifyAccessToken(await valid())).toMatchObject({
      ok: false,
      reason: 'ERR_ISSUER_UNAVAILABLE',
    })
  })
})

describe('composable token checks', () => {
  const checks = (input: unknown) => TokenChecksSchema.parse(input)

  it('refuses a subject on the deny-list', async () => {
    const v = withTokenChecks(
      verifier,
      checks({ denySubjects: { enabled: true, subjects: ['user-1'] } }),
    )
    expect(await v.verifyAccessToken(await valid())).toMatchObject({
      ok: false,
      reason: 'ERR_TOKEN_SUBJECT_DENIED',
      claim: 'sub',
    })
  })

  it('refuses a token without a required claim value', async () => {
    const v = withTokenChecks(
      verifier,
      checks({ requiredClaims: { enabled: true, claims: { org_id: 'acme' } } }),
    )
    expect(await v.verifyAccessToken(await valid({ org_id: 'other' }))).toMatchObject({
      ok: false,
      reason: 'ERR_TOKEN_CLAIM_MISMATCH',
      claim: 'org_id',
    })
    expect(await v.verifyAccessToken(await valid({ org_id: 'acme' }))).toMatchObject({ ok: true })
  })

  it('rate-limits a subject per minute', async () => {
    let clock = 1_000_000
    const v = withTokenChecks(
      verifier,
      checks({ rateLimit: { enabled: true, perMinute: 2 } }),
      () => clock,
    )
    const token = await valid()
    expect(await v.verifyAccessToken(token)).toMatchObject({ ok: true })
    expect(await v.verifyAccessToken(token)).toMatchObject({ ok: true })
    expect(await v.verifyAccessToken(token)).toMatchObject({
      ok: false,
      reason: 'ERR_TOKEN_RATE_LIMITED',
    })
    clock += 61_000
    expect(await v.verifyAccessToken(token)).toMatchObject({ ok: true })
  })
})
