import type { AuditContext, ToolFacts } from './auditContext'
import { openAuditSession, LEGACY_VERSION, MODERN_VERSION, type ProtocolEraChoice } from './mcpSession'
import { lastHttpError } from './probes'

const FOREIGN_ORIGIN = 'https://audit-foreign-origin.example'
const FOREIGN_HOST = 'audit-foreign-host.example'
/** The body sent by the body-limit check: large enough to be refused by any sensible limit, small enough to be polite. */
const LARGE_BODY_BYTES = 2 * 1024 * 1024

/** What the securitySchemes of a tool descriptor say, top level first. */
export function toolFacts(descriptor: Record<string, unknown>): ToolFacts {
  const topLevel = Array.isArray(descriptor.securitySchemes) ? descriptor.securitySchemes : null
  const meta = descriptor._meta as Record<string, unknown> | undefined
  const inMeta = Array.isArray(meta?.securitySchemes) ? (meta.securitySchemes as unknown[]) : null
  const schemes = (topLevel ?? inMeta ?? []) as { type?: unknown; scopes?: unknown }[]
  const types = new Set(schemes.map((s) => s?.type))
  const oauth = schemes.find((s) => s?.type === 'oauth2')
  const scopes = Array.isArray(oauth?.scopes) ? oauth.scopes.filter((s): s is string => typeof s === 'string') : []
  const kind = types.has('oauth2') ? (types.has('noauth') ? 'mixed' : 'oauth2') : types.has('noauth') ? 'noauth' : 'undeclared'
  return { name: String(descriptor.name), descriptor, topLevel, inMeta, kind, scopes }
}

/** A 2025-11-25 client connects and lists the tools: anonymously, then with the token if refused. */
export async function checkLegacyEra(ctx: AuditContext): Promise<void> {
  await ctx.check({ id: 'transport.legacy-era', group: 'transport', title: `A ${LEGACY_VERSION} client connects and lists tools` }, async (evidence) => {
    const listed = await listTools(ctx, 'legacy', null)
    if (listed.ok) {
      ctx.facts.tools = listed.tools
      return { status: 'pass', summary: `Connected anonymously (protocol ${listed.version}); ${listed.tools.length} tool(s) listed.` }
    }
    const refused = lastHttpError(evidence)
    if (refused?.status === 401) {
      ctx.facts.anonymousRefused = refused.challenge ?? { raw: null }
      if (!ctx.token) {
        return { status: 'warn', summary: 'The endpoint answers HTTP 401 to an anonymous client, so its tools cannot be listed without a token.', fix: 'Run the audit with --token or --issuer-login to check the tools.' }
      }
      const withToken = await listTools(ctx, 'legacy', ctx.token)
      if (withToken.ok) {
        ctx.facts.tools = withToken.tools
        return { status: 'pass', summary: `HTTP 401 without a token; with the token: connected (protocol ${withToken.version}), ${withToken.tools.length} tool(s) listed.` }
      }
      return { status: 'fail', summary: `Refused anonymously and with the token: ${withToken.message}`, fix: 'Make sure the token is valid for this server (audience = its URL), or sign in with --issuer-login.' }
    }
    return { status: 'fail', summary: `A ${LEGACY_VERSION} client could not connect: ${listed.message}`, fix: 'Serve MCP over Streamable HTTP at this URL (POST initialize answered with JSON or an event stream).' }
  })
}

type Listed = { ok: true; tools: ToolFacts[]; version: string } | { ok: false; message: string }

async function listTools(ctx: AuditContext, era: ProtocolEraChoice, token: string | null): Promise<Listed> {
  let session
  try {
    session = await openAuditSession(ctx.target, ctx.wire, { era, token, timeoutMs: ctx.timeoutMs })
  } catch (err) {
    return { ok: false, message: (err as Error).message }
  }
  try {
    const listed = await session.client.listTools(undefined, { timeout: ctx.timeoutMs })
    // The raw reply keeps fields the SDK's schema drops (top-level securitySchemes); the typed one is the fallback.
    const raw = session.lastRawResult()
    const descriptors = (Array.isArray(raw?.tools) ? raw.tools : listed.tools) as Record<string, unknown>[]
    const tools = descriptors.slice(0, 100).map(toolFacts)
    return { ok: true, tools, version: session.client.getNegotiatedProtocolVersion?.() ?? era }
  } catch (err) {
    return { ok: false, message: (err as Error).message }
  } finally {
    await session.close()
  }
}

/** A 2026-07-28 client (`server/discover`, no session) against the server; a server that refuses the era gets a warn. */
export async function checkModernEra(ctx: AuditContext): Promise<void> {
  await ctx.check({ id: 'transport.modern-era', group: 'transport', title: `A ${MODERN_VERSION} client connects and lists tools` }, async () => {
    const token = ctx.facts.anonymousRefused ? ctx.token : null
    if (ctx.facts.anonymousRefused && !token) return { status: 'skip', summary: 'The endpoint needs a token for every request and none was given.' }
    const listed = await listTools(ctx, 'modern', token)
    if (listed.ok) return { status: 'pass', summary: `Connected in the ${MODERN_VERSION} era; ${listed.tools.length} tool(s) listed.` }
    return {
      status: 'warn',
      summary: `The server does not speak ${MODERN_VERSION}: ${listed.message} Clients that negotiate fall back to ${LEGACY_VERSION}.`,
      fix: `Move the server to MCP SDK v2 (server/discover and the ${MODERN_VERSION} headers) so newer clients need no fallback.`,
    }
  })
}

/** DNS rebinding: a foreign Origin (and, for a server on this machine, a foreign Host) must be refused. */
export async function checkDnsRebinding(ctx: AuditContext): Promise<void> {
  await ctx.check({ id: 'transport.foreign-origin', group: 'transport', title: 'A foreign Origin is refused (DNS rebinding)' }, async () => {
    const token = ctx.facts.anonymousRefused ? ctx.token : null
    if (ctx.facts.anonymousRefused && !token) return { status: 'skip', summary: 'The endpoint needs a token for every request and none was given.' }
    try {
      const session = await openAuditSession(ctx.target, ctx.wire, { era: 'legacy', token, timeoutMs: ctx.timeoutMs, headers: { origin: FOREIGN_ORIGIN } })
      await session.close()
      return { status: 'warn', summary: `A request with Origin ${FOREIGN_ORIGIN} was served.`, fix: 'Validate the Origin header on /mcp and answer 403 to origins you do not serve (MCP transport security).' }
    } catch {
      return { status: 'pass', summary: `Origin ${FOREIGN_ORIGIN} was refused.` }
    }
  })
  const host = new URL(ctx.target).hostname
  const local = host === 'localhost' || host === '[::1]' || /^127\./.test(host) || /^(10|192\.168)\./.test(host)
  await ctx.check({ id: 'transport.foreign-host', group: 'transport', title: 'A foreign Host header is refused (DNS rebinding)' }, async () => {
    if (!local) return { status: 'skip', summary: 'The server is not on this machine or network; its proxy decides which hosts reach it.' }
    const auth = authHeader(ctx)
    if (auth === null) return { status: 'skip', summary: 'The endpoint needs a token for every request and none was given.' }
    const response = await ctx.wire.raw(ctx.target, {
      method: 'POST',
      headers: { host: FOREIGN_HOST, 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...auth },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
    })
    if (response.status === 401) return { status: 'skip', summary: `HTTP 401 came first: the token check runs before any Host check could show.` }
    if (response.status >= 400) return { status: 'pass', summary: `Host ${FOREIGN_HOST} was refused with HTTP ${response.status}.` }
    return { status: 'warn', summary: `Host ${FOREIGN_HOST} was answered HTTP ${response.status}: a web page could reach this local server through DNS rebinding.`, fix: 'Check the Host header against the names you serve (the SDK\'s hostHeaderValidation / allowedHosts) and answer 403 otherwise.' }
  })
}

/** A 2 MiB body must be refused (413 or 400) rather than parsed. */
export async function checkBodyLimit(ctx: AuditContext): Promise<void> {
  await ctx.check({ id: 'transport.body-limit', group: 'transport', title: 'Oversized request bodies are refused' }, async () => {
    const auth = authHeader(ctx)
    if (auth === null) return { status: 'skip', summary: 'The endpoint needs a token for every request and none was given.' }
    const padding = 'x'.repeat(LARGE_BODY_BYTES)
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping', params: { _meta: { padding } } })
    const response = await ctx.wire.fetch(ctx.target, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': LEGACY_VERSION, ...auth },
      body,
    }).catch((err: Error) => err)
    if (response instanceof Error) return { status: 'pass', summary: `The ${LARGE_BODY_BYTES / 1024 / 1024} MiB body was cut off (${response.message}).` }
    if (response.status === 401) return { status: 'skip', summary: 'HTTP 401 came first: whether the body was read cannot be seen.' }
    if (response.status === 413 || response.status === 400) return { status: 'pass', summary: `A ${LARGE_BODY_BYTES / 1024 / 1024} MiB body was refused with HTTP ${response.status}.` }
    return { status: 'warn', summary: `A ${LARGE_BODY_BYTES / 1024 / 1024} MiB body was read (HTTP ${response.status}).`, fix: 'Limit request bodies on /mcp (1 MiB or less) and answer 413 above it.' }
  })
}

/** The Authorization header for probes of an endpoint that refuses anonymous requests; null when one is needed and missing. */
function authHeader(ctx: AuditContext): Record<string, string> | null {
  if (!ctx.facts.anonymousRefused) return {}
  return ctx.token ? { authorization: `Bearer ${ctx.token}` } : null
}
