import { spawn } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AuditReportSchema } from '../../src/shared/audit'
import { CHROMIUM_PATH } from '../e2e/harness'
import { startPerToolServer, type PerToolServer } from './fixtures/perToolServer'

let dir: string
let browser: Browser
const servers: PerToolServer[] = []

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'audit-cli-'))
  browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  })
})
afterAll(async () => {
  await browser?.close()
  for (const s of servers) await s.close()
  await rm(dir, { recursive: true, force: true })
})

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/audit.ts', ...args], {
      env: { ...process.env, WORKBENCH_DATA_DIR: join(dir, 'data') },
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

/**
 * JUnit XML read by a real XML parser (Chromium's DOMParser): well-formed, and what CI tools read
 * from it.
 */
async function parseJunit(xml: string) {
  const page = await browser.newPage()
  try {
    return await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'application/xml')
      if (doc.getElementsByTagName('parsererror').length)
        return { error: doc.getElementsByTagName('parsererror')[0].textContent }
      const root = doc.documentElement
      const cases = Array.from(doc.getElementsByTagName('testcase'))
      return {
        error: null,
        root: root.tagName,
        tests: Number(root.getAttribute('tests')),
        failures: Number(root.getAttribute('failures')),
        suites: Array.from(doc.getElementsByTagName('testsuite')).map((s) => ({
          name: s.getAttribute('name'),
          tests: Number(s.getAttribute('tests')),
          cases: s.getElementsByTagName('testcase').length,
          failures: Number(s.getAttribute('failures')),
        })),
        cases: cases.length,
        failed: cases
          .filter((c) => c.getElementsByTagName('failure').length > 0)
          .map((c) => c.getAttribute('name')),
        skipped: cases.filter((c) => c.getElementsByTagName('skipped').length > 0).length,
      }
    }, xml)
  } finally {
    await page.close()
  }
}

describe('npm run audit', () => {
  it(
    'fails CI on a server that runs tools for forged tokens; JSON and JUnit are valid and ' +
      'never hold the token',
    async () => {
      const server = await startPerToolServer({ noVerification: true })
      servers.push(server)
      const token = await server.mint()
      const json = join(dir, 'broken.json')
      const junit = join(dir, 'broken.xml')
      const { code, stdout, stderr } = await runCli([
        server.url,
        '--token',
        token,
        '--json',
        json,
        '--junit',
        junit,
      ])
      expect(code).toBe(1)
      expect(stderr).toMatch(/Sending 3 forged tokens/)
      expect(stdout).toMatch(/FAIL {2}A token with a wrong signature is refused/)
      const text = await readFile(json, 'utf8')
      expect(text).not.toContain(token)
      const report = AuditReportSchema.parse(JSON.parse(text))
      expect(report.counts.fail).toBeGreaterThan(0)
      const parsed = await parseJunit(await readFile(junit, 'utf8'))
      expect(parsed.error).toBeNull()
      expect(parsed.root).toBe('testsuites')
      expect(parsed.tests).toBe(report.checks.length)
      expect(parsed.cases).toBe(report.checks.length)
      expect(parsed.failures).toBe(report.counts.fail)
      expect(parsed.failed).toEqual(
        report.checks
          .filter((c) => c.status === 'fail')
          .map((c) => (c.tool ? `${c.title} [${c.tool}]` : c.title)),
      )
      expect(parsed.skipped).toBe(report.counts.skip)
      for (const suite of parsed.suites!) expect(suite.cases).toBe(suite.tests)
      // Kept per server in the data folder for the next comparison.
      expect(await readdir(join(dir, 'data', 'audits'))).toHaveLength(1)
    },
  )

  it('passes CI on a correct server and compares with the last run', async () => {
    const server = await startPerToolServer({})
    servers.push(server)
    const first = await runCli([server.url, '--token', await server.mint()])
    expect(first.code).toBe(0)
    const second = await runCli([server.url, '--token', await server.mint()])
    expect(second.code).toBe(0)
    expect(second.stdout).toMatch(/Since the last audit \(.+\): fixed 0, new 0\./)
  })

  it('refuses bad input with a clear message', async () => {
    const bad = await runCli(['ftp://example.com/mcp', '--no-save'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('Only http(s) MCP endpoints can be audited')
    const both = await runCli(['http://127.0.0.1:1/mcp', '--token', 'x', '--issuer-login'])
    expect(both.code).toBe(2)
    expect(both.stderr).toContain('either --token or --issuer-login')
  })
})

describe('junitReport', () => {
  it('stays well-formed XML whatever a server puts in its answers', async () => {
    const { junitReport } = await import('../../src/main/audit')
    const hostile = 'a <b> & "c" \'d\' ]]> \u0001\u0007 é 🎉'
    const check = {
      id: 'tool.anonymous-call',
      group: 'tools' as const,
      tool: `t${hostile}`,
      title: 'T',
      status: 'fail' as const,
      summary: hostile,
      fix: hostile,
      chatgpt: hostile,
      evidence: [],
    }
    const report = AuditReportSchema.parse({
      version: 1,
      target: `http://x/${hostile}`,
      startedAt: 'a',
      finishedAt: 'b',
      identity: 'none',
      allPublic: false,
      tools: [],
      checks: [check, { ...check, status: 'warn' }, { ...check, status: 'skip' }],
      verdicts: [],
      requests: 0,
      counts: { pass: 0, warn: 1, fail: 1, skip: 1 },
      comparison: null,
    })
    const parsed = await parseJunit(junitReport(report))
    expect(parsed.error).toBeNull()
    expect(parsed.cases).toBe(3)
    expect(parsed.failed).toEqual([`T [t${hostile.replace('\u0001\u0007', '')}]`])
    expect(parsed.skipped).toBe(1)
  })
})
