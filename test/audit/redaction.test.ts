import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { AuditProgress } from '../../src/shared/audit'
import { createAuditStore, formatReport, junitReport, runAudit } from '../../src/main/audit'
import { createConnectClient } from '../../src/main/connect'
import { writeFileAtomic } from '../../src/main/config/writeFileAtomic'
import { redacted, SECRET_PARAMS } from '../../src/main/log/redact'
import { signInOverHttp } from '../issuer/signInOverHttp'
import { startWorkbench } from '../support/workbenchFixture'

const cleanups: (() => Promise<void>)[] = []
afterAll(async () => {
  for (const c of cleanups.reverse()) await c()
})

/** A secret seen on the wire in clear, and where. */
interface Seen {
  kind: string
  value: string
}

/**
 * A fetch in front of the audit's wire that keeps every exchange in clear: the values the audit's
 * outputs must not hold.
 */
function tap() {
  const seen: Seen[] = []
  const pending: Promise<void>[] = []
  const add = (kind: string, value: string | null | undefined) => {
    if (value && value.length >= 8 && !seen.some((s) => s.kind === kind && s.value === value))
      seen.push({ kind, value })
  }
  const fromParams = (params: URLSearchParams) => {
    for (const [name, value] of params) if (SECRET_PARAMS.has(name)) add(name, value)
  }
  const fromUrl = (url: string) => {
    const parsed = new URL(url, 'http://x')
    fromParams(parsed.searchParams)
    for (const m of parsed.pathname.matchAll(/\/(interaction|auth)\/([\w-]{16,})/g))
      add('interaction id', m[2])
  }
  const fromJson = (text: string) => {
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      return
    }
    if (json && typeof json === 'object')
      for (const [name, value] of Object.entries(json))
        if (SECRET_PARAMS.has(name) && typeof value === 'string') add(name, value)
  }
  const fetchTap = async (input: string | URL | Request, init?: RequestInit) => {
    const request = new Request(input, init)
    fromUrl(request.url)
    const body = await request.clone().text()
    if (body) fromParams(new URLSearchParams(body))
    for (const pair of (request.headers.get('cookie') ?? '').split(';'))
      add('cookie', pair.split('=')[1])
    const response = await fetch(request)
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';')
      add('set-cookie', pair.slice(pair.indexOf('=') + 1))
      for (const a of attributes) fromUrl(a.trim().replace(/^path=/i, ''))
    }
    const location = response.headers.get('location')
    if (location) fromUrl(location)
    const streaming = (response.headers.get('content-type') ?? '').includes('event-stream')
    const read = response
      .clone()
      .text()
      .then(fromJson, () => {})
    if (streaming) pending.push(read)
    else await read
    return response
  }
  return { fetch: fetchTap as typeof fetch, seen }
}

/** A value as it may stand in a URL or a form body as well as in clear. */
const spellings = (value: string) => [
  value,
  encodeURIComponent(value),
  new URLSearchParams({ v: value }).toString().slice(2),
]

describe('the audit never records a secret in clear', () => {
  it(
    'signing in with the development issuer: codes, refresh tokens, cookies and interaction ' +
      'ids on the wire reach no file, report or progress event in clear',
    async () => {
      const fx = await startWorkbench({})
      await fx.workbench.ready()
      cleanups.push(() => fx.close())
      const dir = await mkdtemp(join(tmpdir(), 'audit-redaction-'))
      cleanups.push(() => rm(dir, { recursive: true, force: true }))
      const wire = tap()
      // The Connect client's requests go through the audit's recording fetch, as in `--issuer-login`.
      let signInFetch: typeof fetch = fetch
      const connect = createConnectClient({
        clientName: 'MCP Auth Workbench (audit)',
        followRedirects: true,
        fetch: (url, init) => signInFetch(url, init),
        openUrl: (url) => void signInOverHttp(url, { subject: 'dev|alice' }),
      })
      cleanups.push(() => connect.close())
      const dev = fx.workbench.devIssuer()!
      const progress: AuditProgress[] = []
      const report = await runAudit({
        target: fx.workbench.mcpUrl(),
        ownIssuer: { signer: dev.signer, issuer: dev.issuer(), audience: fx.workbench.audience() },
        signIn: async (url, fetch) => {
          signInFetch = fetch
          await connect.start(url, { eager: true })
          return (await connect.accessToken()) as string
        },
        store: createAuditStore(join(dir, 'data')),
        fetch: wire.fetch,
        timeoutMs: 5000,
        onProgress: (p) => progress.push({ ...p, runId: 1 } as AuditProgress),
      })
      const signIn = report.checks.find((c) => c.id === 'as.sign-in')!
      expect(signIn.status).toBe('pass')
      // What scripts/audit.ts writes and prints, and what the app keeps and shows.
      await writeFileAtomic(join(dir, 'audit.json'), `${JSON.stringify(report, null, 2)}\n`)
      await writeFileAtomic(join(dir, 'audit.xml'), junitReport(report))
      const stored = join(dir, 'data', 'audits', (await readdir(join(dir, 'data', 'audits')))[0])
      const outputs = {
        json: await readFile(join(dir, 'audit.json'), 'utf8'),
        junit: await readFile(join(dir, 'audit.xml'), 'utf8'),
        console: formatReport(report),
        store: await readFile(stored, 'utf8'),
        progress: JSON.stringify(progress),
      }

      // The secrets really flowed through the recorded sign-in.
      const kinds = new Set(wire.seen.map((s) => s.kind))
      for (const kind of ['code', 'code_verifier', 'refresh_token', 'access_token', 'set-cookie'])
        expect(kinds, kind).toContain(kind)
      expect(kinds).toContain('interaction id')
      expect(signIn.evidence.length).toBeGreaterThan(0)

      const leaks = Object.entries(outputs).flatMap(([name, text]) =>
        wire.seen
          .filter((s) => spellings(s.value).some((v) => text.includes(v)))
          .map((s) => `${s.kind} in ${name}`),
      )
      expect(leaks).toEqual([])

      // Correlatable: the fingerprints the log uses stand in their place.
      const missing = wire.seen
        .filter((s) => ['code', 'refresh_token', 'set-cookie', 'interaction id'].includes(s.kind))
        .filter((s) => !outputs.json.includes(redacted(s.value)))
        .map((s) => s.kind)
      expect(missing).toEqual([])
    },
  )
})

describe('a report saved before evidence was redacted', () => {
  it('is shown with its secrets fingerprinted', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'audit-old-'))
    cleanups.push(() => rm(dir, { recursive: true, force: true }))
    const target = 'http://127.0.0.1:9/mcp'
    const refresh = 'Rt-opaque-0123456789abcdefghij'
    const cookie = 'sess-0123456789abcdef'
    const uid = 'Uid0123456789abcdefgh'
    const exchange = {
      request: {
        method: 'POST',
        url: `http://127.0.0.1:9/oauth/auth/${uid}`,
        headers: { cookie: `_session=${cookie}` },
        body: `grant_type=refresh_token&refresh_token=${refresh}`,
      },
      response: {
        status: 200,
        headers: { 'set-cookie': `_session=${cookie}; path=/` },
        body: JSON.stringify({
          refresh_token: refresh,
          text: JSON.stringify({ client_secret: cookie }),
        }),
      },
      error: null,
      ms: 1,
    }
    const check = {
      id: 'as.sign-in',
      group: 'authServer',
      tool: null,
      title: 'Sign-in',
      status: 'pass',
      summary: `Redirected to /oauth/interaction/${uid}`,
      fix: null,
      chatgpt: null,
      evidence: [exchange],
    }
    const report = {
      version: 1,
      target,
      startedAt: 'a',
      finishedAt: 'b',
      identity: 'issuer-login',
      allPublic: false,
      tools: [],
      checks: [check],
      verdicts: [],
      requests: 1,
      counts: { pass: 1, warn: 0, fail: 0, skip: 0 },
      comparison: null,
    }
    const { auditFileName } = await import('../../src/main/audit')
    await writeFileAtomic(join(dir, 'audits', auditFileName(target)), JSON.stringify(report))
    const shown = JSON.stringify(await createAuditStore(dir).last(target))
    for (const secret of [refresh, cookie, uid]) {
      expect(shown).not.toContain(secret)
      expect(shown).toContain(redacted(secret))
    }
  })
})
