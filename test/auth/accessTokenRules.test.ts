import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createExternalIssuerSource } from '../../src/main/auth/externalIssuerSource'
import { createJwtVerifier } from '../../src/main/auth/verifyAccessToken'
import type { TokenVerifier } from '../../src/main/auth/accessToken'
import { startLocalIssuer, type LocalIssuer } from '../support/localIssuer'
import { INITIALIZE, parseChallenge, postMcp, startWorkbench } from '../support/workbenchFixture'

const CLIENT_ID = 'cognito-app-client-1'
let issuer: LocalIssuer
let verifier: TokenVerifier

beforeAll(async () => {
  issuer = await startLocalIssuer()
  const source = createExternalIssuerSource(new URL(issuer.issuer))
  verifier = createJwtVerifier({
    issuer: source,
    audience: () => CLIENT_ID,
    algorithms: ['RS256'],
    clockToleranceSec: 30,
  })
})
afterAll(() => issuer.close())

const now = () => Math.floor(Date.now() / 1000)
const verify = (token: string) => verifier.verifyAccessToken(token)

describe('ID tokens are not access tokens (issue 8 item 4)', () => {
  it('refuses a Cognito ID token whose aud is the app client ID, saying why', async () => {
    const idToken = await issuer.mint({
      sub: 'u1',
      aud: CLIENT_ID,
      token_use: 'id',
      email: 'u1@example.test',
    })
    expect(await verify(idToken)).toMatchObject({
      ok: false,
      reason: 'ERR_TOKEN_NOT_ACCESS_TOKEN',
      claim: 'token_use',
      description: expect.stringMatching(/token_use is "id".*Send the access token/),
    })
  })

  it("refuses a token that carries a nonce, and a typ that is not an access token's", async () => {
    expect(
      await verify(await issuer.mint({ sub: 'u1', aud: CLIENT_ID, nonce: 'n-0S6_WzA2Mj' })),
    ).toMatchObject({
      ok: false,
      claim: 'nonce',
      description: expect.stringMatching(/nonce/),
    })
    const logout = await issuer.mint(
      { sub: 'u1', aud: CLIENT_ID },
      { header: { typ: 'logout+jwt' } },
    )
    expect(await verify(logout)).toMatchObject({
      ok: false,
      description: expect.stringMatching(/logout\+jwt/),
    })
    const keycloakId = await issuer.mint(
      { sub: 'u1', aud: CLIENT_ID, typ: 'ID' },
      { header: { typ: 'JWT' } },
    )
    expect(await verify(keycloakId)).toMatchObject({
      ok: false,
      description: expect.stringMatching(/typ claim is "ID"/),
    })
  })

  it('keeps accepting at+jwt, plain JWT, untyped and Cognito access tokens', async () => {
    expect(await verify(await issuer.mint({ sub: 'u1', aud: CLIENT_ID }))).toMatchObject({
      ok: true,
    })
    expect(
      await verify(await issuer.mint({ sub: 'u1', aud: CLIENT_ID }, { header: { typ: 'JWT' } })),
    ).toMatchObject({ ok: true })
    const untyped = await issuer.mint(
      { sub: 'u1', aud: CLIENT_ID, typ: 'Bearer' },
      { header: { typ: undefined } },
    )
    expect(await verify(untyped)).toMatchObject({ ok: true })
    const cognitoAccess = await issuer.mint({
      sub: 'u1',
      token_use: 'access',
      client_id: CLIENT_ID,
      scope: 'user',
    })
    expect(await verify(cognitoAccess)).toMatchObject({
      ok: true,
      token: { scopes: ['user'], clientId: CLIENT_ID },
    })
  })

  it('answers a required widget called with an ID token with HTTP 401 and the reason', async () => {
    const fx = await startWorkbench({ auth: { issuer: issuer.issuer, audience: CLIENT_ID } })
    try {
      const idToken = await issuer.mint({ sub: 'u1', aud: CLIENT_ID, token_use: 'id' })
      const reply = await postMcp(fx.workbench.mcpUrl(), INITIALIZE, {
        authorization: `Bearer ${idToken}`,
      })
      expect(reply.status).toBe(401)
      const challenge = parseChallenge(reply.headers.get('www-authenticate') ?? '')
      expect(challenge).toMatchObject({
        error: 'invalid_token',
        error_description: expect.stringMatching(/not an access token/),
      })
    } finally {
      await fx.close()
    }
  })
})

describe('subject and issue time (issue 8 item 16)', () => {
  it('refuses an object sub, naming it', async () => {
    const token = await issuer.mint({ sub: { id: 'admin' } as unknown as string, aud: CLIENT_ID })
    expect(await verify(token)).toMatchObject({
      ok: false,
      reason: 'ERR_TOKEN_INVALID_SUBJECT',
      claim: 'sub',
      description: expect.stringMatching(/not a non-empty string/),
    })
    expect(await verify(await issuer.mint({ sub: '', aud: CLIENT_ID }))).toMatchObject({
      ok: false,
      claim: 'sub',
    })
  })

  it('refuses an iat a day in the future, and tolerates the configured skew', async () => {
    const future = await issuer.mint({ sub: 'u1', aud: CLIENT_ID, iat: now() + 86_400 })
    expect(await verify(future)).toMatchObject({
      ok: false,
      reason: 'ERR_TOKEN_INVALID_IAT',
      claim: 'iat',
      description: expect.stringMatching(/issued in the future/),
    })
    expect(
      await verify(await issuer.mint({ sub: 'u1', aud: CLIENT_ID, iat: now() + 10 })),
    ).toMatchObject({ ok: true })
  })
})
