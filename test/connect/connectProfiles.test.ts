import { createServer, type Server } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createConnectClient, type ConnectClient } from '../../src/main/connect'
import {
  CHATGPT_DOCUMENT_PREFIX,
  createChatGptClientDocument,
} from '../../src/main/connect/chatgptClientDocument'
import { printConnectProgress } from '../../src/main/connect/printConnectProgress'
import { startWorkbench, type Fixture } from '../support/workbenchFixture'
import { signInOverHttp } from '../issuer/signInOverHttp'

const PUBLIC = 'https://wb.example.test'
let fx: Fixture
const clients: ConnectClient[] = []
const authorizationUrls: URL[] = []
const tokenRequests: URLSearchParams[] = []

/** The Workbench answers as https://wb.example.test (a tunnel's URL); this fetch takes that origin to loopback. */
function tunnelFetch(input: string | URL, init?: RequestInit): Promise<Response> {
  const url = new URL(String(input instanceof URL ? input.href : input))
  if (url.pathname === '/oauth/token') tokenRequests.push(new URLSearchParams(String(init?.body)))
  if (url.origin === PUBLIC)
    return fetch(`${fx.workbench.mcpUrl().replace(/\/mcp$/, '')}${url.pathname}${url.search}`, init)
  return fetch(url, init)
}

beforeAll(async () => {
  fx = await startWorkbench({ server: { publicUrl: PUBLIC } })
})
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()))
  await fx?.close()
})

function chatgptConnect(): ConnectClient {
  const document = createChatGptClientDocument()
  fx.workbench.addMount({ prefix: CHATGPT_DOCUMENT_PREFIX, handle: document.handle })
  const connect = createConnectClient({
    fetch: tunnelFetch,
    browserTimeoutMs: 20_000,
    chatgpt: { document, documentBaseUrl: () => PUBLIC },
    openUrl: (url) => {
      authorizationUrls.push(new URL(url))
      void signInOverHttp(url, { fetch: tunnelFetch as typeof fetch }).catch((err) =>
        console.error(err),
      )
    },
  })
  clients.push(connect)
  return connect
}

describe('the ChatGPT profile against the development issuer behind a tunnel URL', () => {
  it('uses the CIMD document with private_key_jwt, the stable redirect, resource, OIDC scopes and id_token_hint', async () => {
    const connect = chatgptConnect()
    const state = await connect.start(`${PUBLIC}/mcp`, { asChatGpt: true, scope: 'user' })
    expect(state.error).toBeNull()
    expect(state).toMatchObject({
      state: 'connected',
      identity: { subject: 'dev|alice', clientId: `${PUBLIC}/chatgpt/oauth/client.json` },
    })
    const first = authorizationUrls[0].searchParams
    expect(first.get('client_id')).toBe(`${PUBLIC}/chatgpt/oauth/client.json`)
    expect(new URL(first.get('redirect_uri') as string).pathname).toBe(
      '/connector_platform_oauth_redirect',
    )
    expect(first.get('resource')).toBe(`${PUBLIC}/mcp`)
    expect(first.get('scope')?.split(' ')).toEqual(expect.arrayContaining(['user', 'openid']))
    const token = state.steps.find((s) => s.id === 'token')
    expect(token?.status).toBe('ok')
    expect(tokenRequests[0].get('client_assertion_type')).toBe(
      'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    )
    expect(tokenRequests[0].get('client_assertion')).toMatch(/^ey/)
    expect(tokenRequests[0].get('resource')).toBe(`${PUBLIC}/mcp`)
    expect(state.steps.filter((s) => s.warning)).toEqual([])
    // Re-authorization (a step-up) carries the ID token ChatGPT got the first time.
    await connect.stepUp('read:data')
    const hint = authorizationUrls[1].searchParams.get('id_token_hint') as string
    expect(hint).toMatch(/^ey/)
    // The step list keeps a fingerprint of the ID token, never the token.
    expect(JSON.stringify(connect.state().steps)).not.toContain(hint)

    // Nor does the request log (issue 8 item 3): assertions, codes, verifiers, tokens, the hint.
    const sent = tokenRequests.flatMap((form) =>
      ['client_assertion', 'code', 'code_verifier', 'refresh_token'].map((k) => form.get(k)),
    )
    const secrets = [hint, await connect.accessToken(), ...sent].filter(
      (v): v is string => typeof v === 'string' && v.length >= 8,
    )
    expect(secrets.length).toBeGreaterThanOrEqual(6)
    const log = JSON.stringify(fx.workbench.log.snapshot())
    for (const secret of secrets) expect(log).not.toContain(secret)
  })
})

describe('Connect failures name the step that failed (issue 9 item 7)', () => {
  let server: Server
  beforeAll(async () => {
    server = createServer((req, res) => {
      const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`
      if (req.url?.startsWith('/.well-known/oauth-protected-resource')) {
        res.writeHead(200, { 'content-type': 'application/json' })
        return res.end(
          JSON.stringify({
            resource: `${base}/mcp`,
            authorization_servers: ['http://issuer.nonexistent.invalid/'],
          }),
        )
      }
      res
        .writeHead(401, {
          'www-authenticate': `Bearer resource_metadata="${base}/.well-known/oauth-protected-resource/mcp"`,
        })
        .end()
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  })
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  it('blames the authorization server metadata, in words, not the registration', async () => {
    const connect = createConnectClient({ openUrl: () => {} })
    clients.push(connect)
    const lines: string[] = []
    printConnectProgress(connect, (line) => lines.push(line))
    const state = await connect.start(
      `http://127.0.0.1:${(server.address() as { port: number }).port}/mcp`,
    )
    const step = (id: string) => state.steps.find((s) => s.id === id)
    expect(step('authServerMetadata')).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/could not resolve issuer\.nonexistent\.invalid|DNS lookup/),
    })
    expect(step('registration')?.status).not.toBe('failed')
    expect(state.error).toBe(step('authServerMetadata')?.error)
    // The CLI prints each settled step once.
    const failedLines = lines.filter((l) => l.includes('Authorization server metadata'))
    expect(failedLines).toHaveLength(1)
  })
})
