import { CompactEncrypt, base64url, importJWK } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAppServices, type AppServices } from '../../src/main/appServices'
import { createCommandHandlers } from '../../src/main/commands'
import type { CommandHandlers } from '../../src/main/commands/types'
import { startLocalIssuer, type LocalIssuer } from '../support/localIssuer'
import { INITIALIZE, postMcp, startWorkbench, type Fixture } from '../support/workbenchFixture'

const AUD = 'https://api.workbench.test'
let issuer: LocalIssuer
let fx: Fixture
let app: AppServices
let commands: CommandHandlers

beforeAll(async () => {
  issuer = await startLocalIssuer()
  fx = await startWorkbench({
    auth: {
      issuer: issuer.issuer,
      audience: AUD,
      checks: { rateLimit: { enabled: true, perMinute: 3 } },
    },
    widgets: { 'protected-widget': { auth: 'required', scopes: [] } },
  })
  app = createAppServices({
    workbench: fx.workbench,
    dataDir: fx.dir,
    mode: 'browser',
    openUrl: () => {},
  })
  commands = createCommandHandlers(app.services)
})
afterAll(async () => {
  await app?.close()
  await fx?.close()
  await issuer?.close()
})

describe('token inspection changes no server state (issue 8 item 19)', () => {
  it('reports the rate limit without counting: three inspections leave a real request its full budget', async () => {
    const token = await issuer.mint({ sub: 'erin', aud: AUD, scope: 'user' })
    for (let i = 0; i < 3; i++) {
      const inspection = await commands['token:inspect'](token)
      expect(inspection.verdict.ok).toBe(true)
      expect(inspection.checks).toContainEqual({
        check: 'rate limit',
        outcome: 'pass',
        detail: '0 of 3 requests in the last minute for erin (inspections are not counted)',
      })
    }
    const post = () =>
      postMcp(fx.workbench.mcpUrl(), INITIALIZE, { authorization: `Bearer ${token}` })
    for (let i = 0; i < 3; i++) expect((await post()).status).toBe(200)
    expect((await post()).status).toBe(401)
    const after = await commands['token:inspect'](token)
    expect(after.verdict).toMatchObject({ ok: false, reason: 'ERR_TOKEN_RATE_LIMITED' })
  })
})

describe('the inspector leads with the real cause (issue 9 item 11)', () => {
  it('says a token from another issuer was issued by it, not that its key is unknown', async () => {
    const other = await startLocalIssuer()
    try {
      const inspection = await commands['token:inspect'](
        await other.mint({ sub: 'erin', aud: AUD }),
      )
      expect(inspection.verdict.headline).toBe(
        `Issued by "${other.issuer}", expected "${issuer.issuer}" exactly`,
      )
      expect(inspection.checks.find((c) => c.check === 'iss')).toMatchObject({ outcome: 'fail' })
      expect(inspection.widgets.every((w) => !w.allowed && w.reason.includes('Issued by'))).toBe(
        true,
      )
    } finally {
      await other.close()
    }
  })

  it('explains an encrypted token (JWE) and how to get a signed one', async () => {
    const key = await importJWK(
      { kty: 'oct', k: base64url.encode(new Uint8Array(32)), alg: 'dir' },
      'dir',
    )
    const jwe = await new CompactEncrypt(new TextEncoder().encode('{}'))
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
      .encrypt(key)
    const inspection = await commands['token:inspect'](jwe)
    expect(inspection.problem).toMatchObject({
      kind: 'encrypted',
      explanation: expect.stringMatching(/Auth0/),
    })
    expect(inspection.problem?.fix).toContain(`audience=${AUD}`)
    expect(inspection.verdict.ok).toBe(false)
  })

  it('explains an opaque token', async () => {
    const inspection = await commands['token:inspect']('Bearer 8xLOxBtZp8')
    expect(inspection.problem).toMatchObject({
      kind: 'opaque',
      explanation: expect.stringMatching(/only its issuer/),
    })
  })
})
