import type { AuditCheck, AuditProgress, AuditReport } from '../../shared/audit'
import { scopesFromClaims } from '../auth/accessToken'
import { emptyFacts, serverHasAuth, type AuditContext, type OwnIssuer } from './auditContext'
import { checkAuthorizationServer } from './authServerChecks'
import type { AuditStore } from './auditStore'
import { compareRuns } from './auditStore'
import { checkDiscovery } from './discoveryChecks'
import { claimsOf } from './forgedTokens'
import { checkTokenHandling } from './tokenHandlingChecks'
import { checkTools } from './toolChecks'
import { checkBodyLimit, checkDnsRebinding } from './safetyChecks'
import { checkLegacyEra, checkModernEra, toolFacts } from './transportChecks'
import { openCheckSession } from './mcpSession'
import { clientVerdicts, toolSummaries } from './verdicts'
import { redactCheckText, redactWireText } from './redactEvidence'
import { createWire } from './wire'

type Progress = AuditProgress extends infer P
  ? P extends { runId: number }
    ? Omit<P, 'runId'>
    : never
  : never

export interface RunAuditOptions {
  /** The MCP endpoint, exactly as a user would enter it in ChatGPT. */
  target: string
  /** A valid access token for the server (never stored, never shown). */
  token?: string | null
  /**
   * Signs in through the server's own authorization server and returns the access token (`--issuer-
   * login`). Requests sent with `fetch` are recorded (redacted) as the sign-in check's evidence.
   */
  signIn?: (mcpUrl: string, fetch: typeof globalThis.fetch) => Promise<string>
  /** The Workbench's development issuer, for forged tokens with real signatures. */
  ownIssuer?: OwnIssuer | null
  /** Per-request timeout, in milliseconds. Default 10000. */
  timeoutMs?: number
  /** Where the last run per server is kept; null: no comparison, nothing saved. */
  store?: AuditStore | null
  onProgress?: (progress: Progress) => void
  fetch?: typeof fetch
}

/**
 * Runs every check group once against one MCP server and returns the report (saved and compared
 * when a store is given).
 */
export async function runAudit(options: RunAuditOptions): Promise<AuditReport> {
  const target = parseTarget(options.target)
  const startedAt = new Date().toISOString()
  const emit = options.onProgress ?? (() => {})
  const checks: AuditCheck[] = []
  let token = options.token?.trim().replace(/^Bearer\s+/i, '') || null
  const secrets = () => (token ? [token] : [])
  const wire = createWire({ timeoutMs: options.timeoutMs, fetch: options.fetch, secrets })
  const ctx: AuditContext = {
    target,
    wire,
    timeoutMs: options.timeoutMs ?? 10_000,
    token,
    ownIssuer: options.ownIssuer ?? null,
    facts: emptyFacts(),
    announce: (message) => emit({ type: 'announce', message: redactWireText(message, secrets()) }),
    async check(spec, run) {
      const evidence = wire.capture()
      let outcome
      try {
        outcome = await run(evidence)
      } catch (err) {
        outcome = {
          status: 'fail' as const,
          summary: `The check could not complete: ${(err as Error).message}`,
          fix: null,
        }
      }
      // A summary may quote the server (a tool's text, a challenge): scrubbed as it is recorded.
      const check: AuditCheck = redactCheckText(
        {
          id: spec.id,
          group: spec.group,
          tool: spec.tool ?? null,
          title: spec.title,
          status: outcome.status,
          summary: outcome.summary,
          fix: outcome.fix ?? null,
          chatgpt: outcome.chatgpt ?? null,
          evidence,
        },
        secrets(),
      )
      checks.push(check)
      emit({ type: 'check', check })
      return check
    },
  }
  emit({ type: 'started', target })
  const setToken = (value: string) => {
    token = value
    ctx.token = value
    const claims = claimsOf(value)
    ctx.facts.tokenScopes = claims ? scopesFromClaims(claims) : null
  }
  if (token) setToken(token)

  await checkLegacyEra(ctx)
  if (!ctx.facts.unreachable) {
    await checkDiscovery(ctx)
    if (options.signIn && serverHasAuth(ctx.facts)) {
      // Recorded while the sign-in check runs; the client's later requests are not the audit's.
      let recording = true
      const signInFetch = ((url, init) =>
        (recording ? wire.fetch : (options.fetch ?? fetch))(url, init)) as typeof fetch
      await signIn(ctx, (url) => options.signIn!(url, signInFetch), setToken)
      recording = false
    }
    await checkAuthorizationServer(ctx)
    await checkTools(ctx)
    await checkTokenHandling(ctx)
    await checkModernEra(ctx)
    await checkDnsRebinding(ctx)
    await checkBodyLimit(ctx)
  }

  const counts = { pass: 0, warn: 0, fail: 0, skip: 0 }
  for (const c of checks) counts[c.status]++
  const report: AuditReport = {
    version: 1,
    target,
    startedAt,
    finishedAt: new Date().toISOString(),
    identity: options.signIn ? 'issuer-login' : token ? 'token' : 'none',
    allPublic: !serverHasAuth(ctx.facts),
    tools: toolSummaries(ctx.facts, checks),
    checks,
    verdicts: clientVerdicts(ctx.facts, checks),
    requests: wire.requestCount(),
    counts,
    comparison: null,
  }
  if (options.store) {
    const previous = await options.store.last(target)
    if (previous) report.comparison = compareRuns(previous, report)
    await options.store.save(report)
  }
  return report
}

async function signIn(
  ctx: AuditContext,
  run: (url: string) => Promise<string>,
  setToken: (t: string) => void,
): Promise<void> {
  await ctx.check(
    {
      id: 'as.sign-in',
      group: 'authServer',
      title: "Signing in through the server's own authorization server",
    },
    async () => {
      const token = await run(ctx.target).catch((err: Error) => err)
      if (token instanceof Error)
        return {
          status: 'fail',
          summary: `Sign-in failed: ${token.message}`,
          fix:
            'Follow the failing step in the Connect screen (or npm run connect) to see the ' +
            'exact exchange.',
        }
      setToken(token)
      ctx.facts.issuerLoginOk = true
      if (ctx.facts.tools.length === 0 && ctx.facts.anonymousRefused) {
        const session = await openCheckSession(ctx, token)
        try {
          await session.client.listTools(undefined, { timeout: ctx.timeoutMs })
          const raw = session.lastRawResult()
          ctx.facts.tools = Array.isArray(raw?.tools)
            ? (raw.tools as Record<string, unknown>[]).slice(0, 100).map(toolFacts)
            : []
        } finally {
          await session.close()
        }
      }
      const scopes = ctx.facts.tokenScopes
        ? ` with scopes [${ctx.facts.tokenScopes.join(' ')}]`
        : ''
      return {
        status: 'pass',
        summary: `Signed in${scopes}; the token is used for the checks below (never stored).`,
      }
    },
  )
}

/** The URL as entered, checked: absolute http(s), no fragment, no credentials. */
export function parseTarget(input: string): string {
  let url: URL
  try {
    url = new URL(input.trim())
  } catch {
    throw new TypeError(
      `Not a URL: "${input}". Give the MCP endpoint, e.g. https://example.com/mcp.`,
    )
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new TypeError(`Only http(s) MCP endpoints can be audited, not ${url.protocol}`)
  if (url.username || url.password)
    throw new TypeError('Leave credentials out of the URL; pass a token with --token.')
  if (url.hash) throw new TypeError('An MCP endpoint URL has no #fragment.')
  return input.trim()
}
