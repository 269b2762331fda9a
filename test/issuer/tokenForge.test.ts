import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTokenForge, type TokenForge } from '../../src/main/issuer'
import type { ForgeVariant } from '../../src/shared/issuerTypes'
import { startWorkbench, type Fixture } from '../support/workbenchFixture'

let fx: Fixture
let forge: TokenForge

beforeAll(async () => {
  fx = await startWorkbench({})
  const dev = fx.workbench.devIssuer()
  forge = createTokenForge({
    signer: () => dev?.signer ?? null,
    issuer: () => dev?.issuer() as string,
    audience: () => fx.workbench.audience(),
  })
})
afterAll(() => fx?.close())

const mint = (variant: ForgeVariant, scopes = ['user', 'read:data']) =>
  forge.mint({ variant, subject: 'dev|forged', name: 'Forged', scopes })

describe('token forge with the development issuer', () => {
  it('mints a valid token the server accepts, with the chosen scope claim', async () => {
    for (const scopeClaim of ['scope', 'scp', 'permissions'] as const) {
      const forged = await forge.mint({
        subject: 'dev|forged',
        scopes: ['user', 'read:data'],
        scopeClaim,
      })
      expect(forged).toMatchObject({
        variant: 'valid',
        signedByIssuer: true,
        header: { alg: 'RS256', kid: fx.workbench.devIssuer()?.signer.kid },
      })
      const verdict = await fx.workbench.verifier()!.verifyAccessToken(forged.token)
      expect(verdict).toMatchObject({
        ok: true,
        token: { subject: 'dev|forged', scopes: ['user', 'read:data'] },
      })
    }
  })

  it.each([
    ['expired', 'ERR_JWT_EXPIRED', 'exp'],
    ['notYetValid', 'ERR_JWT_CLAIM_VALIDATION_FAILED', 'nbf'],
    ['wrongAudience', 'ERR_JWT_CLAIM_VALIDATION_FAILED', 'aud'],
    ['wrongIssuer', 'ERR_JWT_CLAIM_VALIDATION_FAILED', 'iss'],
    ['badSignature', 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED', 'signature'],
  ] as const)('a %s token is refused with %s on %s', async (variant, reason, claim) => {
    const forged = await mint(variant)
    expect(await fx.workbench.verifier()!.verifyAccessToken(forged.token)).toMatchObject({
      ok: false,
      status: 401,
      error: 'invalid_token',
      reason,
      claim,
    })
  })

  it('an alg "none" token is refused', async () => {
    const forged = await mint('algNone')
    expect(forged.header).toMatchObject({ alg: 'none' })
    expect(await fx.workbench.verifier()!.verifyAccessToken(forged.token)).toMatchObject({
      ok: false,
      status: 401,
      error: 'invalid_token',
    })
  })

  it('a token missing its scopes passes verification but the protected widget answers insufficient_scope', async () => {
    const forged = await mint('missingScope')
    expect(await fx.workbench.verifier()!.verifyAccessToken(forged.token)).toMatchObject({
      ok: true,
      token: { scopes: [] },
    })
    const client = await fx.connect(forged.token)
    const result = await client.callTool({ name: 'protected-widget', arguments: {} })
    expect(result.isError).toBe(true)
    expect(String((result._meta as Record<string, unknown>)['mcp/www_authenticate'])).toContain(
      'error="insufficient_scope"',
    )
  })

  it('each broken token is refused over HTTP with 401 invalid_token', async () => {
    for (const variant of ['expired', 'wrongAudience', 'badSignature', 'algNone'] as const) {
      const { token } = await mint(variant)
      const response = await fetch(fx.workbench.mcpUrl(), {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      })
      expect(response.status).toBe(401)
      expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"')
    }
  })
})

describe('token forge with an external issuer', () => {
  const external = createTokenForge({
    signer: () => null,
    issuer: () => 'https://tenant.example.auth0.com/',
    audience: () => 'https://api.example.test',
  })

  it('refuses to pretend it can sign a valid token', async () => {
    await expect(external.mint({ variant: 'valid' })).rejects.toMatchObject({
      code: 'ERR_FORGE_UNSUPPORTED',
    })
    await expect(external.mint({ variant: 'expired' })).rejects.toMatchObject({
      code: 'ERR_FORGE_UNSUPPORTED',
    })
  })

  it('forges the unsigned and badly signed variants, marked as not signed by the issuer', async () => {
    expect(await external.mint({ variant: 'algNone' })).toMatchObject({
      signedByIssuer: false,
      claims: { iss: 'https://tenant.example.auth0.com/' },
    })
    expect(await external.mint({ variant: 'badSignature' })).toMatchObject({
      signedByIssuer: false,
      header: { alg: 'RS256' },
    })
  })
})
