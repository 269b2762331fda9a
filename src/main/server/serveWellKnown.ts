import type { IncomingMessage, ServerResponse } from 'node:http'
import { IDENTITY_JWKS_PATH } from '../gateway/identityToken'
import { sendJson } from '../http/httpHelpers'

export interface WellKnownDeps {
  /** RFC 9728 document; null when auth is off. */
  protectedResourceMetadata(): Promise<Record<string, unknown> | null>
  /** The issuer's RFC 8414 metadata, for clients that look on the resource's origin; null when unknown. */
  authorizationServerMetadata(path: string): Promise<Record<string, unknown> | null>
  /** Gateway mode: the JWKS upstreams verify forwarded identities with; null when no upstream is set. */
  identityJwks?(): Promise<Record<string, unknown> | null>
}

const PRM_PATHS = new Set([
  '/.well-known/oauth-protected-resource',
  '/.well-known/oauth-protected-resource/mcp',
])
const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'Authorization, MCP-Protocol-Version',
}

/** Discovery metadata under `/.well-known/`, readable cross-origin. */
export async function serveWellKnown(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  deps: WellKnownDeps,
) {
  if (req.method === 'OPTIONS') {
    res.writeHead(204, { ...CORS, 'access-control-allow-methods': 'GET, OPTIONS' })
    return void res.end()
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return sendJson(res, 405, { error: 'method_not_allowed' }, { ...CORS, allow: 'GET, OPTIONS' })
  }
  if (PRM_PATHS.has(path)) {
    const metadata = await deps.protectedResourceMetadata()
    if (!metadata) {
      const message = 'Auth is off: this server is not a protected resource.'
      return sendJson(res, 404, { error: 'not_found', message }, CORS)
    }
    return sendJson(res, 200, metadata, { ...CORS, 'cache-control': 'no-store' })
  }
  if (path === IDENTITY_JWKS_PATH && deps.identityJwks) {
    const jwks = await deps.identityJwks()
    if (jwks) return sendJson(res, 200, jwks, { ...CORS, 'cache-control': 'max-age=300' })
  }
  if (/^\/\.well-known\/(oauth-authorization-server|openid-configuration)/.test(path)) {
    const metadata = await deps.authorizationServerMetadata(path)
    if (metadata) return sendJson(res, 200, metadata, CORS)
  }
  return sendJson(res, 404, { error: 'not_found' }, CORS)
}
