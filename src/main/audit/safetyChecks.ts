import { checkToken, NO_TOKEN_SKIP, type AuditContext } from './auditContext'
import { LEGACY_VERSION, openCheckSession } from './mcpSession'

const FOREIGN_ORIGIN = 'https://audit-foreign-origin.example'
const FOREIGN_HOST = 'audit-foreign-host.example'
/**
 * The body sent by the body-limit check: large enough to be refused by any sensible limit, small
 * enough to be polite.
 */
const LARGE_BODY_BYTES = 2 * 1024 * 1024

/**
 * DNS rebinding: a foreign Origin (and, for a server on this machine, a foreign Host) must be
 * refused.
 */
export async function checkDnsRebinding(ctx: AuditContext): Promise<void> {
  await ctx.check(
    {
      id: 'transport.foreign-origin',
      group: 'transport',
      title: 'A foreign Origin is refused (DNS rebinding)',
    },
    async () => {
      const token = checkToken(ctx)
      if (token === undefined) return NO_TOKEN_SKIP
      try {
        const session = await openCheckSession(ctx, token, { headers: { origin: FOREIGN_ORIGIN } })
        await session.close()
        return {
          status: 'warn',
          summary: `A request with Origin ${FOREIGN_ORIGIN} was served.`,
          fix:
            'Validate the Origin header on /mcp and answer 403 to origins you do not serve ' +
            '(MCP transport security).',
        }
      } catch {
        return { status: 'pass', summary: `Origin ${FOREIGN_ORIGIN} was refused.` }
      }
    },
  )
  const host = new URL(ctx.target).hostname
  const local =
    host === 'localhost' || host === '[::1]' || /^127\./.test(host) || /^(10|192\.168)\./.test(host)
  await ctx.check(
    {
      id: 'transport.foreign-host',
      group: 'transport',
      title: 'A foreign Host header is refused (DNS rebinding)',
    },
    async () => {
      if (!local)
        return {
          status: 'skip',
          summary:
            'The server is not on this machine or network; its proxy decides which hosts reach it.',
        }
      const auth = authHeader(ctx)
      if (auth === null) return NO_TOKEN_SKIP
      const response = await ctx.wire.raw(ctx.target, {
        method: 'POST',
        headers: {
          host: FOREIGN_HOST,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          ...auth,
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
      })
      if (response.status === 401)
        return {
          status: 'skip',
          summary: `HTTP 401 came first: the token check runs before any Host check could show.`,
        }
      if (response.status >= 400)
        return {
          status: 'pass',
          summary: `Host ${FOREIGN_HOST} was refused with HTTP ${response.status}.`,
        }
      return {
        status: 'warn',
        summary:
          `Host ${FOREIGN_HOST} was answered HTTP ${response.status}: a web page could ` +
          `reach this local server through DNS rebinding.`,
        fix:
          "Check the Host header against the names you serve (the SDK's hostHeaderValidation " +
          '/ allowedHosts) and answer 403 otherwise.',
      }
    },
  )
}

/** A 2 MiB body must be refused (413 or 400) rather than parsed. */
export async function checkBodyLimit(ctx: AuditContext): Promise<void> {
  await ctx.check(
    {
      id: 'transport.body-limit',
      group: 'transport',
      title: 'Oversized request bodies are refused',
    },
    async () => {
      const auth = authHeader(ctx)
      if (auth === null) return NO_TOKEN_SKIP
      const padding = 'x'.repeat(LARGE_BODY_BYTES)
      const body = JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'ping',
        params: { _meta: { padding } },
      })
      const response = await ctx.wire
        .fetch(ctx.target, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/json, text/event-stream',
            'mcp-protocol-version': LEGACY_VERSION,
            ...auth,
          },
          body,
        })
        .catch((err: Error) => err)
      if (response instanceof Error)
        return {
          status: 'pass',
          summary:
            `The ${LARGE_BODY_BYTES / 1024 / 1024} MiB body was cut off ` +
            `(${response.message}).`,
        }
      if (response.status === 401)
        return {
          status: 'skip',
          summary: 'HTTP 401 came first: whether the body was read cannot be seen.',
        }
      if (response.status === 413 || response.status === 400)
        return {
          status: 'pass',
          summary:
            `A ${LARGE_BODY_BYTES / 1024 / 1024} MiB body was refused with HTTP ` +
            `${response.status}.`,
        }
      return {
        status: 'warn',
        summary: `A ${LARGE_BODY_BYTES / 1024 / 1024} MiB body was read (HTTP ${response.status}).`,
        fix: 'Limit request bodies on /mcp (1 MiB or less) and answer 413 above it.',
      }
    },
  )
}

/**
 * The Authorization header for probes of an endpoint that refuses anonymous requests; null when one
 * is needed and missing.
 */
function authHeader(ctx: AuditContext): Record<string, string> | null {
  const token = checkToken(ctx)
  if (token === undefined) return null
  return token ? { authorization: `Bearer ${token}` } : {}
}
