import { createHash, generateKeyPairSync } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { JWK } from 'jose'
import { createPrivateKeyJwtAuth, type AddClientAuthentication } from '@modelcontextprotocol/client'

export const CHATGPT_DOCUMENT_PREFIX = '/chatgpt'
const ALG = 'ES256'
const PER_CONNECTOR = /^\/chatgpt\/oauth\/([\w-]+)\/client\.json$/

/**
 * The Workbench's stand-in for `https://chatgpt.com/oauth/client.json`: a Client ID Metadata Document
 * with its JWKS, listing both token endpoint methods the way ChatGPT's does (plural and the legacy
 * singular field), and the per-connector variant `…/oauth/{callback_id}/client.json`.
 */
export interface ChatGptClientDocument {
  /** Serves `<prefix>/oauth/client.json`, `<prefix>/oauth/{id}/client.json` and `<prefix>/oauth/jwks.json`. */
  handle(req: IncomingMessage, res: ServerResponse): void
  /** The document URL under `baseUrl`: stable, or per connector when `callbackId` is given. */
  documentUrl(baseUrl: string, callbackId?: string): string
  document(baseUrl: string, callbackId?: string): Record<string, unknown>
  /** Signs `private_key_jwt` client assertions as `clientId`. */
  signer(clientId: string): AddClientAuthentication
}

/** A fresh P-256 key per process: the stand-in's identity lives as long as the Workbench runs. */
export function createChatGptClientDocument(): ChatGptClientDocument {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const publicJwk = publicKey.export({ format: 'jwk' }) as JWK
  const privateJwk = privateKey.export({ format: 'jwk' }) as JWK
  const kid = createHash('sha256')
    .update(JSON.stringify([publicJwk.x, publicJwk.y]))
    .digest('base64url')
    .slice(0, 16)
  const jwks = { keys: [{ ...publicJwk, kid, alg: ALG, use: 'sig' }] }

  const documentUrl = (baseUrl: string, callbackId?: string) =>
    `${baseUrl.replace(/\/+$/, '')}${CHATGPT_DOCUMENT_PREFIX}/oauth/${callbackId ? `${callbackId}/` : ''}client.json`

  function document(baseUrl: string, callbackId?: string): Record<string, unknown> {
    const base = baseUrl.replace(/\/+$/, '')
    // Loopback stand-ins for https://chatgpt.com/connector_platform_oauth_redirect and
    // https://chatgpt.com/connector/oauth/{callback_id}; `native` lets the port vary (RFC 8252 §7.3).
    const redirect = callbackId
      ? `http://127.0.0.1/connector/oauth/${callbackId}`
      : 'http://127.0.0.1/connector_platform_oauth_redirect'
    return {
      client_id: documentUrl(base, callbackId),
      client_name: 'ChatGPT (MCP Auth Workbench stand-in)',
      client_uri: base,
      redirect_uris: [redirect],
      application_type: 'native',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_methods: ['none', 'private_key_jwt'],
      token_endpoint_auth_method: 'private_key_jwt',
      token_endpoint_auth_signing_alg: ALG,
      jwks_uri: `${base}${CHATGPT_DOCUMENT_PREFIX}/oauth/jwks.json`,
    }
  }

  return {
    documentUrl,
    document,
    handle(req, res) {
      const url = new URL(req.url ?? '/', 'http://x')
      const host = req.headers['x-forwarded-host'] ?? req.headers.host ?? '127.0.0.1'
      const proto = req.headers['x-forwarded-proto'] ?? 'http'
      const base = `${String(proto).split(',')[0]}://${String(host).split(',')[0]}`
      let body: unknown = null
      if (url.pathname === `${CHATGPT_DOCUMENT_PREFIX}/oauth/jwks.json`) body = jwks
      else if (url.pathname === `${CHATGPT_DOCUMENT_PREFIX}/oauth/client.json`)
        body = document(base)
      else {
        const match = PER_CONNECTOR.exec(url.pathname)
        if (match) body = document(base, match[1])
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') body = null
      if (!body) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not_found"}')
        return
      }
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=300' })
      res.end(JSON.stringify(body))
    },
    signer: (clientId) =>
      createPrivateKeyJwtAuth({
        issuer: clientId,
        subject: clientId,
        privateKey: { ...privateJwk, kid, alg: ALG } as Record<string, unknown>,
        alg: ALG,
      }),
  }
}
