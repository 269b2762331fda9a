import { join } from 'node:path'
import { rm } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAppServices, type AppServices } from '../../src/main/appServices'
import { createCommandHandlers } from '../../src/main/commands'
import type { CommandHandlers } from '../../src/main/commands/types'
import { ForgeRequestSchema, type ForgeRequest } from '../../src/shared/issuerTypes'
import { startWorkbench, type Fixture } from '../support/workbenchFixture'

let fx: Fixture
let app: AppServices
let commands: CommandHandlers
const mint = (request: ForgeRequest) => commands['forge:mint'](ForgeRequestSchema.parse(request))

beforeAll(async () => {
  fx = await startWorkbench({})
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
})

describe('commands over the core (development issuer, the default)', () => {
  it('reports the state the UI starts from, with every feature of this build available', async () => {
    const state = await commands['app:getState']()
    expect(state.status.issuer).toMatchObject({
      kind: 'dev',
      state: 'ready',
      issuer: `${fx.workbench.baseUrl()}/oauth`,
    })
    expect(state.widgets.map((w) => w.id)).toContain('protected-widget')
    expect(Object.values(state.features).every((f) => f.available)).toBe(true)
    expect(state.tunnel).toMatchObject({ state: 'stopped', authtokenSet: false })
  })

  it('calls a protected widget anonymously and gets the sign-in challenge, then as a test user and gets the greeting', async () => {
    const anonymous = await commands['widget:call'](
      'protected-widget',
      { message: 'Hi' },
      { kind: 'anonymous' },
    )
    expect(anonymous.result.isError).toBe(true)
    expect(anonymous.result._meta?.['mcp/www_authenticate']).toEqual([
      expect.stringContaining('resource_metadata='),
    ])
    const alice = await commands['widget:call'](
      'protected-widget',
      { message: 'Hi' },
      { kind: 'testUser', subject: 'dev|alice' },
    )
    expect(alice.result.structuredContent).toMatchObject({
      message: 'Hello, Alice Admin!',
      user_id: 'dev|alice',
      has_admin: true,
    })
    const event = fx.workbench.log.snapshot().find((e) => e.id === alice.eventId)
    expect(event).toMatchObject({
      tool: 'protected-widget',
      verdict: 'allowed',
      token: { claims: expect.objectContaining({ sub: 'dev|alice' }) },
    })
  })

  it('asks Bob, who lacks read:data, to step up', async () => {
    const bob = await commands['widget:call'](
      'protected-widget',
      {},
      { kind: 'testUser', subject: 'dev|bob' },
    )
    expect(bob.result.isError).toBe(true)
    expect(String((bob.result._meta?.['mcp/www_authenticate'] as string[])[0])).toContain(
      'error="insufficient_scope"',
    )
  })

  it('returns a refused token as an HTTP error with its challenge', async () => {
    const forged = await mint({ variant: 'expired', scopes: ['user', 'read:data'] })
    const call = await commands['widget:call'](
      'public-widget',
      {},
      { kind: 'token', token: forged.token },
    )
    expect(call.httpError).toMatchObject({
      status: 401,
      wwwAuthenticate: expect.stringContaining('error="invalid_token"'),
    })
  })

  it('inspects a forged expired token: exp fails, signature passes, no widget may be called', async () => {
    const forged = await mint({ variant: 'expired', scopes: ['user'] })
    const inspection = await commands['token:inspect'](forged.token)
    expect(inspection.verdict).toMatchObject({ ok: false, reason: 'ERR_JWT_EXPIRED' })
    expect(inspection.checks.find((c) => c.check === 'exp')?.outcome).toBe('fail')
    expect(inspection.checks.find((c) => c.check === 'signature')?.outcome).toBe('pass')
    expect(inspection.widgets.every((w) => !w.allowed)).toBe(true)
  })

  it('inspects a valid token and lists which widgets it may call', async () => {
    const forged = await mint({ variant: 'valid', scopes: ['user'] })
    const inspection = await commands['token:inspect'](`Bearer ${forged.token}`)
    expect(inspection.verdict.ok).toBe(true)
    expect(inspection.checks.filter((c) => c.outcome === 'fail')).toEqual([])
    const byId = Object.fromEntries(inspection.widgets.map((w) => [w.id, w.allowed]))
    expect(byId).toMatchObject({
      'public-widget': true,
      'flexible-widget': true,
      'protected-widget': false,
    })
  })

  it('says plainly when the text is not a JWT', async () => {
    const inspection = await commands['token:inspect']('hello')
    expect(inspection.problem).toMatchObject({
      kind: 'opaque',
      title: 'An opaque token, not a JWT',
    })
    expect(inspection.problem?.fix).toMatch(/JWT access tokens/)
  })

  it('toggles a widget live, and clears the override', async () => {
    const after = await commands['widget:setAuth']('public-widget', {
      auth: 'required',
      scopes: ['admin'],
    })
    expect(after.find((w) => w.id === 'public-widget')).toMatchObject({
      effectiveMode: 'required',
      securitySchemes: [{ type: 'oauth2', scopes: ['admin'] }],
    })
    const cleared = await commands['widget:setAuth']('public-widget', null)
    expect(cleared.find((w) => w.id === 'public-widget')).toMatchObject({
      effectiveMode: 'none',
      override: null,
    })
    await expect(commands['widget:setAuth']('nope', { auth: 'none' })).rejects.toMatchObject({
      code: 'ERR_WIDGET_NOT_FOUND',
    })
  })

  it('replays a logged call as another identity', async () => {
    const anonymous = await commands['widget:call']('flexible-widget', {}, { kind: 'anonymous' })
    expect(anonymous.result.structuredContent).toMatchObject({ tier: 'free' })
    const replayed = await commands['log:replay'](anonymous.eventId!, {
      kind: 'testUser',
      subject: 'dev|bob',
    })
    expect(replayed.result.structuredContent).toMatchObject({ tier: 'premium', user_id: 'dev|bob' })
  })

  it('exports the log without any raw token', async () => {
    const forged = await mint({ variant: 'valid', scopes: ['user'] })
    await commands['widget:call'](
      'public-widget',
      { note: forged.token },
      { kind: 'token', token: forged.token },
    )
    const exported = await commands['log:export']()
    expect(exported.fileName).toMatch(/^workbench-requests-.*\.json$/)
    expect(exported.json).not.toContain(forged.token)
    expect(exported.json).not.toContain(forged.token.split('.')[2])
    expect(JSON.parse(exported.json).events.length).toBeGreaterThan(0)
  })
})

describe('the Overview checklist facts', () => {
  it('are kept across a restart', async () => {
    const first = await startWorkbench({
      auth: { issuer: 'off' },
      widgets: { 'public-widget': { auth: 'required' } },
    })
    try {
      const client = await first.connect()
      await client.callTool({ name: 'public-widget', arguments: {} })
      expect(first.workbench.milestones.get()).toMatchObject({ challengeSeen: false })
      await first.workbench.config.update((raw) => ({ ...raw, auth: { issuer: 'dev' } }))
      await client.callTool({ name: 'public-widget', arguments: {} })
      expect(first.workbench.milestones.get()).toMatchObject({
        challengeSeen: true,
        protectedCallAllowed: false,
      })
      await first.workbench.close()
      const { createWorkbench } = await import('../../src/main/core')
      const again = await createWorkbench({
        configPath: first.configPath,
        dataDir: join(first.dir, 'data'),
      })
      expect(again.milestones.get()).toMatchObject({
        challengeSeen: true,
        protectedCallAllowed: false,
      })
      await again.close()
    } finally {
      await rm(first.dir, { recursive: true, force: true })
    }
  })
})
