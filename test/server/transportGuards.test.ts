import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLocalIssuer, type LocalIssuer } from '../support/localIssuer'
import {
  INITIALIZE,
  modernHeaders,
  modernRequest,
  postMcp,
  startWorkbench,
  type Fixture,
} from '../support/workbenchFixture'

let issuer: LocalIssuer
let fx: Fixture

beforeAll(async () => {
  issuer = await startLocalIssuer()
  fx = await startWorkbench({
    auth: { issuer: issuer.issuer, requiredScopes: ['user'] },
    server: { allowedOrigins: ['https://inspector.example'] },
  })
})
afterAll(async () => {
  await fx?.close()
  await issuer?.close()
})

/** A raw request with a chosen Host header (fetch will not send one). */
function rawPost(
  path: string,
  headers: Record<string, string>,
  body = JSON.stringify(INITIALIZE),
): Promise<{ status: number; body: string }> {
  const url = new URL(fx.workbench.mcpUrl())
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          ...headers,
        },
      },
      (res) => {
        let text = ''
        res.on('data', (c) => (text += c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }))
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

describe('protected-resource metadata (RFC 9728)', () => {
  it('is served at the root and path-inserted locations with CORS', async () => {
    for (const path of [
      '/.well-known/oauth-protected-resource',
      '/.well-known/oauth-protected-resource/mcp',
    ]) {
      const response = await fetch(`${fx.workbench.baseUrl()}${path}`, {
        headers: { origin: 'https://chatgpt.com' },
      })
      expect(response.status).toBe(200)
      expect(response.headers.get('access-control-allow-origin')).toBe('*')
      expect(await response.json()).toEqual({
        resource: fx.workbench.mcpUrl(),
        authorization_servers: [issuer.issuer],
        scopes_supported: ['read:data', 'user'],
        bearer_methods_supported: ['header'],
        resource_name: 'MCP Auth Workbench',
        resource_documentation: `${fx.workbench.baseUrl()}/`,
      })
    }
  })

  it('serves a copy of the issuer metadata for older clients', async () => {
    const response = await fetch(`${fx.workbench.baseUrl()}/.well-known/oauth-authorization-server`)
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({
      issuer: issuer.issuer,
      code_challenge_methods_supported: ['S256'],
    })
  })
})

describe('DNS-rebinding protection and request limits', () => {
  it('refuses a Host that is neither loopback nor the public URL', async () => {
    expect((await rawPost('/mcp', { host: 'evil.example' })).status).toBe(403)
    expect((await rawPost('/mcp', { host: `localhost:${fx.workbench.port()}` })).status).toBe(200)
  })

  it('refuses a foreign Origin and accepts loopback and allowed origins', async () => {
    expect(
      (await postMcp(fx.workbench.mcpUrl(), INITIALIZE, { origin: 'https://evil.example' })).status,
    ).toBe(403)
    const allowed = await postMcp(fx.workbench.mcpUrl(), INITIALIZE, {
      origin: 'https://inspector.example',
    })
    expect(allowed.status).toBe(200)
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://inspector.example')
    expect(
      (await postMcp(fx.workbench.mcpUrl(), INITIALIZE, { origin: 'http://localhost:5173' }))
        .status,
    ).toBe(200)
  })

  it('answers a body over 1 MiB with 413', async () => {
    const big = JSON.stringify({ ...INITIALIZE, padding: 'x'.repeat(1024 * 1024) })
    expect((await rawPost('/mcp', { host: '127.0.0.1' }, big)).status).toBe(413)
  })

  it('answers malformed JSON with 400 and JSON-RPC -32700', async () => {
    const reply = await postMcp(fx.workbench.mcpUrl(), '{"jsonrpc": "2.0",')
    expect(reply.status).toBe(400)
    expect(reply.json).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32700 } })
  })

  it('answers a tools/call nested 10,000 levels deep with a clear JSON-RPC error, logs it and keeps serving', async () => {
    const deep = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000)
    const body = `{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"public-widget","arguments":${deep}}}`
    expect(body.length).toBeGreaterThan(20_000)
    const reply = await postMcp(fx.workbench.mcpUrl(), body)
    expect(reply.status).toBe(400)
    expect(reply.json).toMatchObject({
      jsonrpc: '2.0',
      id: 7,
      error: { code: -32600, message: expect.stringMatching(/nested deeper than 64 levels/) },
    })
    const event = fx.workbench.log.snapshot().at(-1)
    expect(event).toMatchObject({
      status: 400,
      rpcMethod: 'tools/call',
      rpcId: 7,
      verdict: 'error',
      reason: expect.stringMatching(/nested deeper/),
    })
    expect(() => JSON.stringify(fx.workbench.log.snapshot())).not.toThrow()
    expect((await postMcp(fx.workbench.mcpUrl(), INITIALIZE)).status).toBe(200)
  })

  it('accepts nesting up to the limit (strings with brackets do not count)', async () => {
    const nested = '['.repeat(40) + '"]]]]{{{{"' + ']'.repeat(40)
    const params = JSON.stringify(INITIALIZE.params).replace(/}$/, `,"x":${nested}}`)
    const body = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":${params}}`
    expect((await postMcp(fx.workbench.mcpUrl(), body)).status).toBe(200)
  })

  it('refuses JSON-RPC batches', async () => {
    const reply = await postMcp(fx.workbench.mcpUrl(), [INITIALIZE])
    expect(reply.status).toBe(400)
    expect(reply.json).toMatchObject({ error: { code: -32600 } })
  })

  it('answers a malformed Authorization header with 401 invalid_request', async () => {
    const reply = await postMcp(fx.workbench.mcpUrl(), INITIALIZE, {
      authorization: 'Basic dXNlcjpwYXNz',
    })
    expect(reply.status).toBe(401)
    expect(reply.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_request"/)
  })

  it('answers an unknown session with 404 so the client re-initializes', async () => {
    const reply = await postMcp(
      fx.workbench.mcpUrl(),
      { jsonrpc: '2.0', id: 2, method: 'tools/list' },
      { 'mcp-session-id': 'nope', 'mcp-protocol-version': '2025-06-18' },
    )
    expect(reply.status).toBe(404)
    expect(fx.workbench.log.snapshot().at(-1)).toMatchObject({
      status: 404,
      verdict: 'error',
      reason: 'refused before dispatch: Session not found: initialize a new session',
      responseBody: { error: { code: -32001 } },
      protocol: { era: 'legacy', version: '2025-06-18' },
    })
  })

  it('answers a 2026-07-28 call whose Mcp-Name header disagrees with the body with 400 -32020, and logs why', async () => {
    const call = modernRequest(3, 'tools/call', { name: 'public-widget', arguments: {} })
    const reply = await postMcp(
      fx.workbench.mcpUrl(),
      call,
      modernHeaders('tools/call', 'protected-widget'),
    )
    expect(reply.status).toBe(400)
    expect(reply.json).toMatchObject({ error: { code: -32020 } })
    expect(fx.workbench.log.snapshot().at(-1)).toMatchObject({
      status: 400,
      tool: 'public-widget',
      verdict: 'error',
      reason: expect.stringMatching(/^refused before dispatch: .*Mcp-Name/i),
      responseBody: { error: { code: -32020 } },
      protocol: { era: 'modern', version: '2026-07-28' },
    })
  })
})
