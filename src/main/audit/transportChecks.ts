import { checkToken, NO_TOKEN_SKIP, type AuditContext, type ToolFacts } from './auditContext'
import {
  openCheckSession,
  LEGACY_VERSION,
  MODERN_VERSION,
  type ProtocolEraChoice,
} from './mcpSession'
import { lastHttpError } from './probes'

/** What the securitySchemes of a tool descriptor say, top level first. */
export function toolFacts(descriptor: Record<string, unknown>): ToolFacts {
  const topLevel = Array.isArray(descriptor.securitySchemes) ? descriptor.securitySchemes : null
  const meta = descriptor._meta as Record<string, unknown> | undefined
  const inMeta = Array.isArray(meta?.securitySchemes) ? (meta.securitySchemes as unknown[]) : null
  const schemes = (topLevel ?? inMeta ?? []) as { type?: unknown; scopes?: unknown }[]
  const types = new Set(schemes.map((s) => s?.type))
  const oauth = schemes.find((s) => s?.type === 'oauth2')
  const scopes = Array.isArray(oauth?.scopes)
    ? oauth.scopes.filter((s): s is string => typeof s === 'string')
    : []
  const kind = types.has('oauth2')
    ? types.has('noauth')
      ? 'mixed'
      : 'oauth2'
    : types.has('noauth')
      ? 'noauth'
      : 'undeclared'
  return { name: String(descriptor.name), descriptor, topLevel, inMeta, kind, scopes }
}

/**
 * A 2025-11-25 client connects and lists the tools: anonymously, then with the token if refused.
 */
export async function checkLegacyEra(ctx: AuditContext): Promise<void> {
  await ctx.check(
    {
      id: 'transport.legacy-era',
      group: 'transport',
      title: `A ${LEGACY_VERSION} client connects and lists tools`,
    },
    async (evidence) => {
      const listed = await listTools(ctx, 'legacy', null)
      if (!listed.ok && evidence.length > 0 && evidence.every((e) => e.response === null)) {
        ctx.facts.unreachable = evidence[0].error ?? listed.message
        return {
          status: 'fail',
          summary: `The server did not answer: ${ctx.facts.unreachable}. Nothing else was checked.`,
          fix: 'Check the URL, and that the server is running and reachable from this machine.',
        }
      }
      if (listed.ok) {
        ctx.facts.tools = listed.tools
        return {
          status: 'pass',
          summary:
            `Connected anonymously (protocol ${listed.version}); ${listed.tools.length} ` +
            `tool(s) listed.`,
        }
      }
      const refused = lastHttpError(evidence)
      if (refused?.status === 401) {
        ctx.facts.anonymousRefused = refused.challenge ?? { raw: null }
        if (!ctx.token) {
          return {
            status: 'warn',
            summary:
              'The endpoint answers HTTP 401 to an anonymous client, so its tools cannot be ' +
              'listed without a token.',
            fix: 'Run the audit with --token or --issuer-login to check the tools.',
          }
        }
        const withToken = await listTools(ctx, 'legacy', ctx.token)
        if (withToken.ok) {
          ctx.facts.tools = withToken.tools
          return {
            status: 'pass',
            summary:
              `HTTP 401 without a token; with the token: connected (protocol ` +
              `${withToken.version}), ${withToken.tools.length} tool(s) listed.`,
          }
        }
        return {
          status: 'fail',
          summary: `Refused anonymously and with the token: ${withToken.message}`,
          fix:
            'Make sure the token is valid for this server (audience = its URL), or sign in ' +
            'with --issuer-login.',
        }
      }
      return {
        status: 'fail',
        summary: `A ${LEGACY_VERSION} client could not connect: ${listed.message}`,
        fix:
          'Serve MCP over Streamable HTTP at this URL (POST initialize answered with JSON or ' +
          'an event stream).',
      }
    },
  )
}

type Listed = { ok: true; tools: ToolFacts[]; version: string } | { ok: false; message: string }

async function listTools(
  ctx: AuditContext,
  era: ProtocolEraChoice,
  token: string | null,
): Promise<Listed> {
  let session
  try {
    session = await openCheckSession(ctx, token, { era })
  } catch (err) {
    return { ok: false, message: (err as Error).message }
  }
  try {
    const listed = await session.client.listTools(undefined, { timeout: ctx.timeoutMs })
    // The raw reply keeps fields the SDK's schema drops (top-level securitySchemes); the typed one
    // is the fallback.
    const raw = session.lastRawResult()
    const descriptors = (Array.isArray(raw?.tools) ? raw.tools : listed.tools) as Record<
      string,
      unknown
    >[]
    const tools = descriptors.slice(0, 100).map(toolFacts)
    return { ok: true, tools, version: session.client.getNegotiatedProtocolVersion?.() ?? era }
  } catch (err) {
    return { ok: false, message: (err as Error).message }
  } finally {
    await session.close()
  }
}

/**
 * A 2026-07-28 client (`server/discover`, no session) against the server; a server that refuses the
 * era gets a warn.
 */
export async function checkModernEra(ctx: AuditContext): Promise<void> {
  await ctx.check(
    {
      id: 'transport.modern-era',
      group: 'transport',
      title: `A ${MODERN_VERSION} client connects and lists tools`,
    },
    async () => {
      const token = checkToken(ctx)
      if (token === undefined) return NO_TOKEN_SKIP
      const listed = await listTools(ctx, 'modern', token)
      if (listed.ok)
        return {
          status: 'pass',
          summary: `Connected in the ${MODERN_VERSION} era; ${listed.tools.length} tool(s) listed.`,
        }
      return {
        status: 'warn',
        summary:
          `The server does not speak ${MODERN_VERSION}: ${listed.message} Clients that ` +
          `negotiate fall back to ${LEGACY_VERSION}.`,
        fix:
          `Move the server to MCP SDK v2 (server/discover and the ${MODERN_VERSION} headers) ` +
          `so newer clients need no fallback.`,
      }
    },
  )
}
