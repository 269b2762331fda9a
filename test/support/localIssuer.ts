import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  SignJWT,
  exportJWK,
  generateKeyPair,
  type JWK,
  type JWTPayload,
  type CryptoKey,
} from 'jose'

export interface LocalIssuer {
  issuer: string
  jwksUri: string
  /** Signs claims with the issuer's current key (RS256). Defaults: iss, iat, exp in 1 h. */
  mint(
    claims: JWTPayload,
    options?: {
      alg?: string
      kid?: string
      key?: CryptoKey
      header?: Record<string, unknown>
      crit?: Record<string, boolean>
    },
  ): Promise<string>
  /** Adds a new key to the JWKS and signs with it from now on. */
  rotate(): Promise<void>
  jwksFetches(): number
  publicJwk(): JWK
  close(): Promise<void>
}

/** A real OIDC-discoverable issuer on loopback with a JWKS, for tests. `trailingSlash` publishes `issuer` the Auth0 way. */
export async function startLocalIssuer(
  options: { trailingSlash?: boolean; omitJwks?: boolean } = {},
): Promise<LocalIssuer> {
  const keys: { kid: string; privateKey: CryptoKey; jwk: JWK }[] = []
  let fetches = 0
  const addKey = async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true })
    const kid = `k${keys.length + 1}`
    keys.push({
      kid,
      privateKey,
      jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' },
    })
  }
  await addKey()
  let issuer = ''
  const server: Server = createServer((req, res) => {
    const base = issuer.replace(/\/$/, '')
    if (req.url === '/.well-known/openid-configuration') {
      res.writeHead(200, { 'content-type': 'application/json' })
      return res.end(
        JSON.stringify({
          issuer,
          ...(options.omitJwks ? {} : { jwks_uri: `${base}/jwks.json` }),
          authorization_endpoint: `${base}/authorize`,
          token_endpoint: `${base}/token`,
          registration_endpoint: `${base}/register`,
          code_challenge_methods_supported: ['S256'],
          response_types_supported: ['code'],
        }),
      )
    }
    if (req.url === '/jwks.json') {
      fetches++
      res.writeHead(200, { 'content-type': 'application/json' })
      return res.end(JSON.stringify({ keys: keys.map((k) => k.jwk) }))
    }
    res.writeHead(404).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  issuer = `http://127.0.0.1:${port}${options.trailingSlash ? '/' : ''}`
  return {
    issuer,
    jwksUri: `http://127.0.0.1:${port}/jwks.json`,
    async mint(claims, opts = {}) {
      const current = keys[keys.length - 1]
      const now = Math.floor(Date.now() / 1000)
      return new SignJWT({ iss: issuer, iat: now, exp: now + 3600, ...claims })
        .setProtectedHeader({
          alg: opts.alg ?? 'RS256',
          kid: opts.kid ?? current.kid,
          typ: 'at+jwt',
          ...opts.header,
        })
        .sign(opts.key ?? current.privateKey, opts.crit ? { crit: opts.crit } : undefined)
    },
    rotate: addKey,
    jwksFetches: () => fetches,
    publicJwk: () => keys[keys.length - 1].jwk,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
