import { describe, expect, it } from 'vitest'
import { judgeTokenClaims } from '../../../src/renderer/src/store/judgeTokenClaims'
import { scopesFromClaims } from '../../../src/shared/tokenRules'
import { appState, requestEvent } from '../fixtures'

const time = Date.UTC(2026, 0, 1, 12, 0, 0)
const nowSec = time / 1000
const app = appState()

function tokenEvent(claims: Record<string, unknown>, extra = {}) {
  return requestEvent({
    time,
    tool: 'protected-widget',
    token: { fingerprint: 'abcd1234', header: { alg: 'RS256' }, claims },
    ...extra,
  })
}

const byClaim = (claims: ReturnType<typeof judgeTokenClaims>) =>
  Object.fromEntries(claims.map((c) => [c.claim, c.pass]))

describe('claim-by-claim judgement', () => {
  it('passes a token that matches issuer, audience, time and scopes', () => {
    const result = judgeTokenClaims(
      tokenEvent({
        iss: 'http://127.0.0.1:8001/oauth',
        aud: ['http://127.0.0.1:8001/mcp'],
        exp: nowSec + 600,
        nbf: nowSec - 5,
        sub: 'dev|alice',
        scope: 'user read:data',
      }),
      app,
    )
    expect(byClaim(result)).toEqual({
      iss: true,
      aud: true,
      exp: true,
      nbf: true,
      sub: true,
      scope: true,
    })
  })

  it('fails an expired token, a foreign audience and a foreign issuer', () => {
    const result = judgeTokenClaims(
      tokenEvent({ iss: 'https://evil.example', aud: 'https://other.example', exp: nowSec - 3600 }),
      app,
    )
    expect(byClaim(result)).toEqual({ iss: false, aud: false, exp: false })
  })

  it('honours the configured clock tolerance', () => {
    expect(byClaim(judgeTokenClaims(tokenEvent({ exp: nowSec - 10 }), app)).exp).toBe(true)
    expect(byClaim(judgeTokenClaims(tokenEvent({ exp: nowSec - 31 }), app)).exp).toBe(false)
  })

  it('fails scopes the called widget needs but the token lacks, from scope, scp or permissions', () => {
    expect(byClaim(judgeTokenClaims(tokenEvent({ permissions: ['user'] }), app)).permissions).toBe(
      false,
    )
    expect(byClaim(judgeTokenClaims(tokenEvent({ scp: ['user', 'read:data'] }), app)).scp).toBe(
      true,
    )
    expect(scopesFromClaims({ scope: 'a b', scp: 'c', permissions: ['d', 'a'] }).sort()).toEqual([
      'a',
      'b',
      'c',
      'd',
    ])
  })

  it('marks the claim the server failed as failed whatever the local comparison says', () => {
    const result = judgeTokenClaims(
      tokenEvent({ aud: 'http://127.0.0.1:8001/mcp' }, { claim: 'aud', verdict: 'invalid_token' }),
      app,
    )
    expect(byClaim(result).aud).toBe(false)
  })

  it('judges with the same rules as the server: Cognito client_id, ID tokens, subject and issue time', () => {
    const cognito = { client_id: 'http://127.0.0.1:8001/mcp', token_use: 'access', sub: 'u1' }
    expect(byClaim(judgeTokenClaims(tokenEvent(cognito), app))).toMatchObject({
      client_id: true,
      sub: true,
    })
    const idToken = byClaim(judgeTokenClaims(tokenEvent({ ...cognito, token_use: 'id' }), app))
    expect(idToken).toMatchObject({ client_id: false, token_use: false })
    const odd = byClaim(
      judgeTokenClaims(tokenEvent({ sub: { id: 1 }, iat: nowSec + 86_400, nonce: 'n' }), app),
    )
    expect(odd).toEqual({ sub: false, iat: false, nonce: false })
  })

  it('judges nothing for a request without a token', () => {
    expect(judgeTokenClaims(requestEvent(), app)).toEqual([])
  })
})
