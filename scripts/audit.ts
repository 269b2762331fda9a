// `npm run audit -- <mcp-url> [--token T | --issuer-login] [--json F] [--junit F] [--timeout
// SECONDS] [--no-save]`
// Judges a server's auth the way ChatGPT and spec clients will use it; exit code 1 on any failed
// check.
import { parseArgs } from 'node:util'
import { resolveDataDir } from '../src/main/config/dataDir'
import { writeFileAtomic } from '../src/main/config/writeFileAtomic'
import { createAuditStore, formatReport, junitReport, runAudit } from '../src/main/audit'
import { createConnectClient } from '../src/main/connect'
import { openInBrowser } from './openInBrowser'

const USAGE =
  'usage: npm run audit -- <mcp-url> [--token T | --issuer-login] [--json FILE] [--junit FILE] ' +
  '[--timeout SECONDS] [--no-save]'

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      token: { type: 'string' },
      'issuer-login': { type: 'boolean' },
      json: { type: 'string' },
      junit: { type: 'string' },
      timeout: { type: 'string' },
      'no-save': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  const target = positionals[0]
  if (values.help || !target || positionals.length > 1) {
    process.stderr.write(`${USAGE}\n`)
    return values.help ? 0 : 2
  }
  if (values.token && values['issuer-login']) {
    process.stderr.write('Give either --token or --issuer-login, not both.\n')
    return 2
  }
  const timeoutSec = values.timeout ? Number(values.timeout) : 10
  if (!Number.isFinite(timeoutSec) || timeoutSec <= 0 || timeoutSec > 120) {
    process.stderr.write('--timeout is a number of seconds between 0 and 120.\n')
    return 2
  }
  const token = values.token ?? process.env.MCP_AUDIT_TOKEN ?? null
  // The sign-in's requests go through the audit's recording fetch (its evidence, redacted).
  let signInFetch: typeof fetch = fetch
  const connect = values['issuer-login']
    ? createConnectClient({
        fetch: (url, init) => signInFetch(url, init),
        openUrl: (url) => {
          process.stderr.write(`Open this URL to sign in (trying your browser):\n  ${url}\n`)
          openInBrowser(url)
        },
        clientName: 'MCP Auth Workbench (audit)',
        followRedirects: true,
      })
    : null
  try {
    const report = await runAudit({
      target,
      token,
      timeoutMs: timeoutSec * 1000,
      store: values['no-save'] ? null : createAuditStore(resolveDataDir()),
      signIn: connect
        ? async (url, auditFetch) => {
            signInFetch = auditFetch
            await connect.start(url, { eager: true })
            const access = await connect.accessToken()
            if (!access) throw new Error(connect.state().error ?? 'no token after sign-in')
            return access
          }
        : undefined,
      onProgress: (p) => {
        if (p.type === 'announce') process.stderr.write(`[audit] ${p.message}\n`)
        if (p.type === 'check')
          process.stderr.write(
            `[audit] ${p.check.status.padEnd(4)} ` +
              `${p.check.id}${p.check.tool ? ` [${p.check.tool}]` : ''}\n`,
          )
      },
    })
    process.stdout.write(formatReport(report))
    if (values.json) await writeFileAtomic(values.json, `${JSON.stringify(report, null, 2)}\n`)
    if (values.junit) await writeFileAtomic(values.junit, junitReport(report))
    return report.counts.fail > 0 ? 1 : 0
  } catch (err) {
    process.stderr.write(`Audit failed: ${(err as Error).message}\n`)
    return 2
  } finally {
    await connect?.close()
  }
}

process.exitCode = await main()
