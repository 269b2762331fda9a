import { serverHasAuth, type AuditContext } from './auditContext'
import { isJsonObject } from '../../shared/jsonObject'

const BROWSER_ORIGIN = 'https://audit-browser-client.example'

/** RFC 9728 URLs in the order clients try them: path-inserted, then root. */
export function protectedResourceUrls(target: string): {
  pathInserted: string | null
  root: string
} {
  const url = new URL(target)
  const path = url.pathname.replace(/\/$/, '')
  return {
    pathInserted: path ? `${url.origin}/.well-known/oauth-protected-resource${path}` : null,
    root: `${url.origin}/.well-known/oauth-protected-resource`,
  }
}

async function getJson(
  ctx: AuditContext,
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: Record<string, unknown> | null; headers: Headers } | null> {
  try {
    const response = await ctx.wire.fetch(url, {
      headers: { accept: 'application/json', ...headers },
    })
    let json: Record<string, unknown> | null = null
    try {
      const parsed: unknown = await response.json()
      json = isJsonObject(parsed) ? parsed : null
    } catch {
      json = null
    }
    return { status: response.status, json: response.ok ? json : null, headers: response.headers }
  } catch {
    return null
  }
}

/**
 * Protected-resource metadata: where it is, what `resource` says, CORS, the authorization servers
 * it names.
 */
export async function checkDiscovery(ctx: AuditContext): Promise<void> {
  const urls = protectedResourceUrls(ctx.target)
  const hinted =
    ctx.facts.anonymousRefused && 'resourceMetadata' in ctx.facts.anonymousRefused
      ? ctx.facts.anonymousRefused.resourceMetadata
      : undefined

  await ctx.check(
    {
      id: 'discovery.protected-resource',
      group: 'discovery',
      title: 'Protected-resource metadata (RFC 9728) is published',
    },
    async () => {
      const tried: string[] = []
      for (const url of [hinted, urls.pathInserted, urls.root]) {
        if (!url || tried.includes(url)) continue
        tried.push(url)
        const got = await getJson(ctx, url)
        if (got?.json) {
          ctx.facts.prm = got.json
          ctx.facts.prmUrl = url
          break
        }
      }
      if (!ctx.facts.prm) {
        if (!serverHasAuth(ctx.facts))
          return {
            status: 'pass',
            summary:
              'No protected-resource metadata and no tool asks for sign-in: the server is public.',
          }
        return {
          status: 'fail',
          summary: `No metadata at ${tried.join(' or ')}, yet the server asks for tokens.`,
          fix:
            `Serve the RFC 9728 document at ${urls.pathInserted ?? urls.root} (and the root ` +
            `URL) naming this resource and its authorization server.`,
          chatgpt: 'ChatGPT cannot find the authorization server, so it cannot offer sign-in.',
        }
      }
      if (ctx.facts.prmUrl === urls.root && urls.pathInserted) {
        return {
          status: 'warn',
          summary: `Found at the root URL only (${urls.root}); nothing at ${urls.pathInserted}.`,
          fix: `Also serve it at ${urls.pathInserted}: clients try the path-inserted URL first.`,
        }
      }
      return {
        status: 'pass',
        summary: `Found at ${ctx.facts.prmUrl}.`,
        chatgpt:
          'ChatGPT reads this document to find the authorization server and the resource to ask ' +
          'a token for.',
      }
    },
  )
  if (!ctx.facts.prm) return

  await ctx.check(
    {
      id: 'discovery.resource',
      group: 'discovery',
      title: "The metadata's resource equals the URL entered",
    },
    async () => {
      const resource = ctx.facts.prm?.resource
      if (resource === ctx.target)
        return { status: 'pass', summary: `resource is "${resource}", exactly the URL entered.` }
      const nearly =
        typeof resource === 'string' &&
        resource.replace(/\/$/, '') === ctx.target.replace(/\/$/, '')
      return {
        status: 'fail',
        summary:
          `resource is ${JSON.stringify(resource)}, not ` +
          `"${ctx.target}"${nearly ? ' (they differ by a trailing slash)' : ''}.`,
        fix: `Set the metadata's resource to exactly "${ctx.target}", the URL users enter.`,
        chatgpt:
          'ChatGPT sends this value as the resource parameter; spec clients refuse metadata ' +
          'whose resource is not the URL they connect to.',
      }
    },
  )

  await ctx.check(
    {
      id: 'discovery.cors',
      group: 'discovery',
      title: 'Metadata readable by browser clients (CORS)',
    },
    async () => {
      const got = await getJson(ctx, ctx.facts.prmUrl as string, { origin: BROWSER_ORIGIN })
      const allow = got?.headers.get('access-control-allow-origin')
      if (allow === '*' || allow === BROWSER_ORIGIN)
        return { status: 'pass', summary: `Access-Control-Allow-Origin: ${allow}.` }
      return {
        status: 'warn',
        summary:
          'No Access-Control-Allow-Origin on the metadata: browser-based clients (MCP ' +
          'Inspector, web hosts) cannot read it.',
        fix: 'Answer the /.well-known documents with Access-Control-Allow-Origin: *.',
      }
    },
  )

  await ctx.check(
    {
      id: 'discovery.authorization-servers',
      group: 'discovery',
      title: 'authorization_servers names a reachable issuer',
    },
    async () => {
      const list = ctx.facts.prm?.authorization_servers
      const first = Array.isArray(list)
        ? list.find((v): v is string => typeof v === 'string')
        : undefined
      if (!first)
        return {
          status: 'fail',
          summary: 'authorization_servers is missing or empty.',
          fix: "List your authorization server's issuer URL in authorization_servers.",
          chatgpt: 'ChatGPT has nowhere to send the user to sign in.',
        }
      try {
        new URL(first)
      } catch {
        return {
          status: 'fail',
          summary: `authorization_servers[0] is not a URL: ${JSON.stringify(first)}.`,
          fix: 'List the issuer as an absolute https URL.',
        }
      }
      ctx.facts.authorizationServer = first
      const more = Array.isArray(list) && list.length > 1
      return {
        status: 'pass',
        summary:
          `authorization_servers[0] is ${first}` +
          (more ? ` (${list.length} listed; clients use the first).` : '.'),
      }
    },
  )
}
