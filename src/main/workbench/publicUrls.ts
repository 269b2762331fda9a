import type { WorkbenchConfig } from '../../shared/config'
import { loopbackFor } from '../http/httpHelpers'

/** Every URL the server is known by, derived in one place from the config and the bound port. */
export interface PublicUrls {
  /** `http://127.0.0.1:<port>` (the bind address, wildcards made dialable). */
  localBase: URL
  /** The public URL when there is one (tunnel or custom domain), else the local base. */
  base: URL
  /** Local MCP endpoint. */
  localMcp: URL
  /** Public `/mcp`, the URL to paste into ChatGPT; null without a public URL. */
  connector: URL | null
  /** The RFC 9728 resource identifier, exactly as configured (clients compare it as a string), else `<base>/mcp`. */
  resource: string
  /** What tokens' `aud` must name: `auth.audience` (any string, e.g. a Cognito client id), else the resource. */
  audience: string
  /** RFC 9728 metadata, path-inserted for `/mcp`. */
  resourceMetadata: URL
}

/** Serializes a base URL without its trailing slash (`new URL('http://h').href` ends in `/`). */
export function origin(url: URL): string {
  return url.href.replace(/\/$/, '')
}

export function derivePublicUrls(config: WorkbenchConfig, boundPort: number): PublicUrls {
  const localBase = new URL(
    `http://${loopbackFor(config.server.host)}:${boundPort || config.server.port}`,
  )
  const publicBase = config.server.publicUrl ? new URL(config.server.publicUrl) : null
  const base = publicBase ?? localBase
  const under = (root: URL, path: string) => new URL(`${origin(root)}${path}`)
  const resource = config.auth.resourceServerUrl ?? under(base, '/mcp').href
  return {
    localBase,
    base,
    localMcp: under(localBase, '/mcp'),
    connector: publicBase ? under(publicBase, '/mcp') : null,
    resource,
    audience: config.auth.audience ?? resource,
    resourceMetadata: under(base, '/.well-known/oauth-protected-resource/mcp'),
  }
}
