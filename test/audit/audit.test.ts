import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { AuditReportSchema, checkKey, type AuditReport } from '../../src/shared/audit'
import { createAuditStore, runAudit } from '../../src/main/audit'
import { startWorkbench, type Fixture } from '../support/workbenchFixture'
import { startLocalIssuer } from '../support/localIssuer'
import { createConnectClient } from '../../src/main/connect'
import { signInOverHttp } from '../issuer/signInOverHttp'
import { startPerToolServer, type Defects } from './fixtures/perToolServer'
import { startSdkExampleServer } from './fixtures/sdkExampleServer'
import { startVanillaServer } from './fixtures/vanillaServer'

const cleanups: (() => Promise<void>)[] = []
afterAll(async () => {
  for (const c of cleanups.reverse()) await c()
})

const find = (report: AuditReport, id: string, tool?: string) =>
  report.checks.find((c) => c.id === id && (tool === undefined || c.tool === tool))
const bad = (report: AuditReport) =>
  report.checks
    .filter((c) => c.status === 'fail' || c.status === 'warn')
    .map((c) => `${checkKey(c)}: ${c.summary}`)
/**
 * Until the Workbench's server speaks 2026-07-28 (SDK v2 move in progress), only the modern-era
 * check may warn.
 */
const notYetModern = (report: AuditReport) =>
  bad(report).filter((line) => !line.startsWith('transport.modern-era'))

async function workbench(config: Parameters<typeof startWorkbench>[0]): Promise<Fixture> {
  const fx = await startWorkbench(config)
  await fx.workbench.ready()
  cleanups.push(() => fx.close())
  return fx
}

async function ownAudit(fx: Fixture, token: string | null): Promise<AuditReport> {
  const dev = fx.workbench.devIssuer()
  const report = await runAudit({
    target: fx.workbench.mcpUrl(),
    token,
    ownIssuer: dev
      ? { signer: dev.signer, issuer: dev.issuer(), audience: fx.workbench.audience() }
      : null,
    timeoutMs: 5000,
  })
  AuditReportSchema.parse(report)
  return report
}

describe("the Workbench's own server passes in each auth mode", () => {
  it('development issuer, required / optional / none / inherit widgets, with a token', async () => {
    const fx = await workbench({ widgets: { 'public-widget': { auth: 'inherit' } } })
    const dev = fx.workbench.devIssuer()!
    const token = await dev.mintForUser('dev|alice')
    const report = await ownAudit(fx, token)
    expect(notYetModern(report)).toEqual([])
    expect(report.counts.fail).toBe(0)
    // Bounded: a handful of requests per check (5 tools, 36 checks).
    expect(report.requests).toBeLessThan(report.checks.length * 5)
    expect(find(report, 'tool.anonymous-call', 'protected-widget')?.summary).toContain(
      'error="invalid_token"',
    )
    expect(find(report, 'token.step-up')?.status).toBe('pass')
    expect(find(report, 'token.expired')?.summary).toContain('Signed by the issuer itself')
    expect(report.verdicts[0].summary).toMatch(/^ChatGPT: sign-in will work for .*protected-widget/)
    // Never a raw token in the report.
    expect(JSON.stringify(report)).not.toContain(token)
    expect(JSON.stringify(report)).not.toContain(token.split('.')[2])
  })

  it(
    "signing in through the server's own authorization server (--issuer-login) with the " +
      'Connect client',
    async () => {
      const fx = await workbench({})
      const connect = createConnectClient({
        openUrl: (url) => void signInOverHttp(url, { subject: 'dev|bob' }),
      })
      cleanups.push(() => connect.close())
      const dev = fx.workbench.devIssuer()!
      const report = await runAudit({
        target: fx.workbench.mcpUrl(),
        ownIssuer: { signer: dev.signer, issuer: dev.issuer(), audience: fx.workbench.audience() },
        signIn: async (url) => {
          await connect.start(url, { eager: true })
          return (await connect.accessToken()) as string
        },
        timeoutMs: 5000,
      })
      expect(report.identity).toBe('issuer-login')
      expect(find(report, 'as.sign-in')?.status).toBe('pass')
      expect(find(report, 'as.resource-parameter')?.status).toBe('pass')
      expect(notYetModern(report)).toEqual([])
      // Bob lacks read:data: the signed-in call to the protected widget is a step-up naming the
      // scopes.
      expect(find(report, 'tool.signed-in-call', 'protected-widget')?.summary).toMatch(
        /Step-up: insufficient_scope naming "user read:data"/,
      )
    },
  )

  it('auth off: every tool public, nothing forged, no alarms', async () => {
    const fx = await workbench({ auth: { issuer: 'off' } })
    const report = await ownAudit(fx, null)
    expect(report.allPublic).toBe(true)
    expect(notYetModern(report)).toEqual([])
    expect(find(report, 'token.forged')?.status).toBe('skip')
  })

  it('an external issuer (Auth0-style trailing slash) with its own token', async () => {
    const issuer = await startLocalIssuer({ trailingSlash: true })
    cleanups.push(() => issuer.close())
    const fx = await workbench({ auth: { issuer: issuer.issuer } })
    const token = await issuer.mint({
      aud: fx.workbench.audience(),
      sub: 'auth0|1',
      scope: 'user read:data',
    })
    const report = await ownAudit(fx, token)
    // The stub issuer does not publish RFC 9207 support: a finding about it, not about the
    // Workbench.
    expect(notYetModern(report)).toEqual([expect.stringMatching(/^as\.iss-parameter/)])
    expect(find(report, 'as.issuer')?.summary).toContain(issuer.issuer)
  })
})

describe('each seed defect is caught with the right fix', () => {
  async function audit(defects: Defects, withToken = true): Promise<AuditReport> {
    const server = await startPerToolServer(defects)
    cleanups.push(() => server.close())
    return AuditReportSchema.parse(
      await runAudit({
        target: server.url,
        token: withToken ? await server.mint() : null,
        timeoutMs: 5000,
      }),
    )
  }

  it('a correct per-tool server has no failures (the control)', async () => {
    const report = await audit({})
    expect(report.counts.fail).toBe(0)
    expect(find(report, 'tool.anonymous-call', 'past_orders')?.status).toBe('pass')
    expect(find(report, 'transport.modern-era')?.status).toBe('warn')
  })

  it(
    'issuer listed without the trailing slash the issuer publishes (FastApps + ' + 'Auth0)',
    async () => {
      const report = await audit({ issuerSlashMismatch: true })
      const check = find(report, 'as.issuer')!
      expect(check.status).toBe('fail')
      expect(check.summary).toContain('trailing slash')
      expect(check.fix).toMatch(/exactly as the authorization server publishes it/)
      expect(find(report, 'tool.signed-in-call', 'past_orders')?.status).toBe('fail')
    },
  )

  it('no mcp/www_authenticate hint on the refusal', async () => {
    const check = find(await audit({ noHint: true }), 'tool.anonymous-call', 'past_orders')!
    expect(check.status).toBe('fail')
    expect(check.fix).toContain('_meta["mcp/www_authenticate"]')
    expect(check.chatgpt).toContain('no sign-in button')
  })

  it('a bare HTTP 401 with no challenge', async () => {
    const report = await audit({ bare401: true })
    const check = find(report, 'tool.anonymous-call', 'past_orders')!
    expect(check.status).toBe('fail')
    expect(check.summary).toContain('no WWW-Authenticate challenge')
    expect(check.chatgpt).toContain('ChatGPT will not show sign-in for per-tool auth')
    expect(find(report, 'token.badSignature')?.summary).toContain('bare HTTP 401')
  })

  it('securitySchemes only in _meta', async () => {
    const check = find(
      await audit({ metaOnlySchemes: true }),
      'tool.security-schemes',
      'past_orders',
    )!
    expect(check.status).toBe('fail')
    expect(check.fix).toContain('Add securitySchemes at the top level')
  })

  it('no token verification (any Bearer value accepted)', async () => {
    const report = await audit({ noVerification: true }, false)
    for (const id of ['token.badSignature', 'token.expired', 'token.wrongAudience']) {
      const check = find(report, id)!
      expect(check.status, id).toBe('fail')
      expect(check.fix).toContain('Verify every token')
    }
  })
})

describe('other servers', () => {
  it(
    'a server built like the SDK examples (requireBearerAuth): ChatGPT will not show sign-in ' +
      'for per-tool auth',
    async () => {
      const server = await startSdkExampleServer()
      cleanups.push(() => server.close())
      const report = AuditReportSchema.parse(
        await runAudit({ target: server.url, token: await server.mint(), timeoutMs: 5000 }),
      )
      expect(report.tools.map((t) => t.name).sort()).toEqual(['greet', 'whoami'])
      const anonymous = find(report, 'tool.anonymous-call', 'whoami')!
      expect(anonymous.summary).toContain('ChatGPT will not show sign-in for per-tool auth')
      expect(anonymous.fix).toContain('mcp/www_authenticate')
      expect(find(report, 'token.badSignature')?.status).toBe('pass')
      expect(find(report, 'transport.modern-era')?.status).toBe('pass')
      expect(report.verdicts[0].summary).toContain(
        'ChatGPT will not show sign-in for per-tool auth',
      )
    },
  )

  it(
    'the registry server @modelcontextprotocol/server-basic-vanillajs: all public, no false ' +
      'alarms',
    async () => {
      const server = await startVanillaServer()
      cleanups.push(() => server.close())
      const report = AuditReportSchema.parse(
        await runAudit({ target: server.url, timeoutMs: 5000 }),
      )
      expect(report.allPublic).toBe(true)
      expect(report.tools.length).toBeGreaterThan(0)
      expect(report.counts.fail).toBe(0)
      const authAlarms = report.checks.filter(
        (c) => c.group !== 'transport' && (c.status === 'warn' || c.status === 'fail'),
      )
      expect(authAlarms).toEqual([])
      expect(report.verdicts[0].summary).toMatch(/^ChatGPT: all \d+ tool\(s\) are public/)
    },
  )
})

describe('bounded and polite', () => {
  it('never calls a destructive tool and calls at most 25 tools', async () => {
    const server = await startPerToolServer({}, { destructive: true, extraPublicTools: 30 })
    cleanups.push(() => server.close())
    const report = await runAudit({
      target: server.url,
      token: await server.mint(),
      timeoutMs: 5000,
    })
    expect(server.calls.get('delete_everything')).toBeUndefined()
    expect(find(report, 'tool.anonymous-call', 'delete_everything')?.summary).toContain(
      'destructiveHint',
    )
    const called = [...server.calls.keys()].filter((name) => name.startsWith('extra_'))
    expect(called).toHaveLength(25 - 3)
    expect(find(report, 'tool.anonymous-call', 'extra_29')?.status).toBe('skip')
    expect(find(report, 'tool.security-schemes', 'extra_29')?.status).toBe('pass')
    expect(report.counts.fail).toBe(0)
  })
})

describe('a server that does not answer', () => {
  it('is one clear failure, and nothing else is probed', async () => {
    const server = await startPerToolServer({})
    const url = server.url
    await server.close()
    const report = AuditReportSchema.parse(await runAudit({ target: url, timeoutMs: 5000 }))
    expect(report.checks.map((c) => [c.id, c.status])).toEqual([['transport.legacy-era', 'fail']])
    expect(report.checks[0].summary).toMatch(/did not answer: ECONNREFUSED/)
    expect(report.verdicts[0].summary).toBe('ChatGPT: nothing to judge: the server did not answer.')
    expect(report.requests).toBe(1)
  })
})

describe('runs are kept per server and compared', () => {
  it('reports what was fixed and what is new since the last audit', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'audit-store-'))
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }))
    const defects: Defects = { noHint: true, metaOnlySchemes: true }
    const server = await startPerToolServer(defects)
    cleanups.push(() => server.close())
    const store = createAuditStore(dataDir)
    const first = await runAudit({ target: server.url, timeoutMs: 5000, store })
    expect(first.comparison).toBeNull()
    delete defects.noHint
    delete defects.metaOnlySchemes
    defects.bare401 = true
    const second = await runAudit({ target: server.url, timeoutMs: 5000, store })
    expect(second.comparison?.fixed).toEqual(
      expect.arrayContaining([
        'tool.security-schemes@past_orders',
        'tool.security-schemes@public_echo',
      ]),
    )
    expect(second.comparison?.new).toEqual(expect.arrayContaining(['token.badSignature']))
    expect((await store.last(server.url))?.finishedAt).toBe(second.finishedAt)
  })
})
