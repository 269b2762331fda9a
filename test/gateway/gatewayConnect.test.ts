import { createServer, request, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client'
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createConnectClient, type ConnectClient } from '../../src/main/connect'
import {
  CHATGPT_DOCUMENT_PREFIX,
  createChatGptClientDocument,
} from '../../src/main/connect/chatgptClientDocument'
import {
  IDENTITY_JWKS_PATH,
  IDENTITY_TTL_SEC,
  IDENTITY_TYP,
} from '../../src/main/gateway/identityToken'
import { upstreamAudience } from '../../src/main/gateway/upstreamFlags'
import { createWorkbenchTunnel } from '../../src/main/tunnel/createWorkbenchTunnel'
import type { TunnelController } from '../../src/main/tunnel/tunnelController'
import type { Upstream } from '../../src/shared/config'
import { signInOverHttp } from '../issuer/signInOverHttp'
import { startWorkbench, type Fixture } from '../support/workbenchFixture'
import { createFakeForwarder } from '../tunnel/fakeForwarder'
import { createMemorySecretStore } from '../tunnel/memorySecretStore'
import { eventually } from './support'
import { RECORDING_SERVER, startHttpUpstream, type RunningUpstream } from './upstreamServers'

// ngrok's service is unreachable here: the agent is faked in its connected state (the URL below), and a loopback
// "edge" stands in for ngrok's servers, forwarding to the Workbench the way they do (public Host, X-Forwarded-For).
const PUBLIC = 'https://gw-connect.ngrok-free.app'
const CALLER_IP = '203.0.113.7'
const NGROK_TOKEN = '2xYzAbCdEfGhIjKlMnOpQrStUv_1a2B3c4D5e6F7g8H9i0JkLmN'

type Seen = { headers: Record<string, string> | null; meta: Record<string, string> | null }

/** ngrok's edge on loopback: every request to the public URL reaches the Workbench's MCP port with its Host. */
async function startEdge(port: () => number): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    const upstream = request(
      {
        host: '127.0.0.1',
        port: port(),
        method: req.method,
        path: req.url,
        headers: {
          ...req.headers,
          host: new URL(PUBLIC).host,
          'x-forwarded-for': CALLER_IP,
          'x-forwarded-proto': 'https',
        },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      },
    )
    upstream.on('error', () => res.destroy())
    req.pipe(upstream)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }
}

const CASES = [
  { transport: 'http', issuer: 'development' },
  { transport: 'stdio', issuer: 'development' },
  { transport: 'http', issuer: 'external' },
] as const

for (const { transport, issuer } of CASES) {
  describe(`Connect as ChatGPT through the tunnel to a gateway in front of a ${transport} upstream, ${issuer} issuer (issue 12 item 8)`, () => {
    let external: Fixture | null = null
    let issuerUrl = ''
    let upstream: RunningUpstream | null = null
    let target: NonNullable<Upstream>
    let fx: Fixture
    let tunnel: TunnelController
    let edge: { server: Server; origin: string }
    let connect: ConnectClient
    const authorizationUrls: URL[] = []

    /** What ChatGPT's fetch would do: the public origin resolves to the edge; everything else is loopback. */
    const viaTunnel = (input: string | URL, init?: RequestInit): Promise<Response> => {
      const url = new URL(String(input instanceof URL ? input.href : input))
      if (url.origin !== PUBLIC) return fetch(url, init)
      return fetch(`${edge.origin}${url.pathname}${url.search}`, init)
    }

    beforeAll(async () => {
      if (transport === 'http') upstream = await startHttpUpstream('recording')
      target = upstream
        ? { url: upstream.url }
        : { command: process.execPath, args: [RECORDING_SERVER, '--stdio'], env: {} }
      if (issuer === 'external') {
        // Another Workbench's development issuer plays the developer's own, issuing tokens for the public URL.
        external = await startWorkbench({ auth: { resourceServerUrl: `${PUBLIC}/mcp` } })
        issuerUrl = external.workbench.devIssuer()!.issuer()
      }
      // No auth settings: the embedded development issuer (its URL is the public one once the tunnel is up).
      fx = await startWorkbench({
        upstream: target,
        ...(external ? { auth: { issuer: issuerUrl } } : {}),
      })
      await eventually(() => fx.workbench.widgetSummaries().some((w) => w.id === 'whoami'))
      tunnel = createWorkbenchTunnel({
        workbench: fx.workbench,
        dataDir: fx.dir,
        secretStore: createMemorySecretStore(),
        env: { NGROK_AUTHTOKEN: NGROK_TOKEN },
        forwarder: createFakeForwarder({ url: PUBLIC }),
      })
      await tunnel.start()
      if (!external) issuerUrl = fx.workbench.devIssuer()!.issuer()
      edge = await startEdge(() => fx.workbench.port())
      const document = createChatGptClientDocument()
      fx.workbench.addMount({ prefix: CHATGPT_DOCUMENT_PREFIX, handle: document.handle })
      connect = createConnectClient({
        fetch: viaTunnel,
        browserTimeoutMs: 20_000,
        followRedirects: true,
        chatgpt: { document, documentBaseUrl: () => PUBLIC },
        openUrl: (url) => {
          authorizationUrls.push(new URL(url))
          void signInOverHttp(url, { fetch: viaTunnel as typeof fetch }).catch((err) =>
            console.error(err),
          )
        },
      })
    })
    afterAll(async () => {
      await connect?.close()
      await tunnel?.close()
      edge?.server.closeAllConnections()
      edge?.server.close()
      await fx?.close()
      await external?.close()
      await upstream?.stop()
    })

    it('names the public URL as the connector URL, in the challenge and in the protected-resource metadata', async () => {
      expect(fx.workbench.status()).toMatchObject({
        publicUrl: PUBLIC,
        connectorUrl: `${PUBLIC}/mcp`,
        gateway: { kind: transport, state: 'ready' },
      })
      const anonymous = await viaTunnel(`${PUBLIC}/mcp`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          authorization: 'Bearer not-a-token',
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      })
      expect(anonymous.status).toBe(401)
      const challenge = anonymous.headers.get('www-authenticate') ?? ''
      const metadataUrl = /resource_metadata="([^"]+)"/.exec(challenge)?.[1]
      expect(metadataUrl).toBe(`${PUBLIC}/.well-known/oauth-protected-resource/mcp`)
      const prm = (await (await viaTunnel(metadataUrl!)).json()) as {
        resource: string
        authorization_servers: string[]
      }
      expect(prm.resource).toBe(`${PUBLIC}/mcp`)
      expect(prm.authorization_servers).toEqual([issuerUrl])
    })

    it(`signs in with the ${issuer} issuer${issuer === 'development' ? ' as ChatGPT' : ''} and calls a Required upstream tool; the upstream gets a verifiable identity and never the token`, async () => {
      const connectorUrl = fx.workbench.status().connectorUrl!
      // An external issuer would fetch ChatGPT's client document from the public URL, which only resolves here
      // through the test's fetch: against it, Connect registers its own client (DCR) instead.
      const asChatGpt = issuer === 'development'
      const state = await connect.start(connectorUrl, { eager: true, asChatGpt })
      expect(state.error).toBeNull()
      expect(state).toMatchObject({
        state: 'connected',
        identity: { subject: 'dev|alice' },
      })
      const clientId = state.identity!.clientId
      if (asChatGpt) expect(clientId).toBe(`${PUBLIC}/chatgpt/oauth/client.json`)
      expect(authorizationUrls[0].origin).toBe(new URL(issuerUrl).origin)
      expect(authorizationUrls[0].searchParams.get('resource')).toBe(`${PUBLIC}/mcp`)

      const client = new Client({ name: 'chatgpt-stand-in', version: '1.0.0' })
      await client.connect(
        new StreamableHTTPClientTransport(new URL(connectorUrl), { fetch: connect.fetch }),
      )
      const { tools } = await client.listTools()
      expect(tools.find((t) => t.name === 'whoami')?._meta?.securitySchemes).toEqual([
        { type: 'oauth2', scopes: ['user'] },
      ])
      // As the CLI does: a challenge in the tool result steps up, then the call is made again.
      let result = await client.callTool({ name: 'whoami', arguments: {} })
      const challenge = (result._meta as Record<string, string[]> | undefined)?.[
        'mcp/www_authenticate'
      ]?.[0]
      if (result.isError && challenge) {
        expect(challenge).toContain(`resource_metadata="${PUBLIC}/`)
        await connect.stepUp(/scope="([^"]*)"/.exec(challenge)?.[1] ?? '')
        result = await client.callTool({ name: 'whoami', arguments: {} })
      }
      await client.close()
      expect(result.isError).toBeFalsy()
      const bearer = (await connect.accessToken())!
      expect(bearer).toMatch(/^ey/)

      const { headers, meta } = (result as unknown as { structuredContent: Seen }).structuredContent
      const identity = meta!['workbench/identity']
      expect(identity).toMatch(/^ey/)
      const jwks = (await (
        await viaTunnel(`${PUBLIC}${IDENTITY_JWKS_PATH}`)
      ).json()) as JSONWebKeySet
      const { payload } = await jwtVerify(identity, createLocalJWKSet(jwks), {
        issuer: PUBLIC,
        audience: upstreamAudience(target),
        typ: IDENTITY_TYP,
      })
      expect(payload.sub).toBe('dev|alice')
      expect(payload.scope).toContain('user')
      expect(payload.client_id).toBe(clientId)
      expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(IDENTITY_TTL_SEC)
      expect(payload.exp!).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + IDENTITY_TTL_SEC)
      if (transport === 'http') {
        expect(headers?.authorization).toBeUndefined()
        expect(headers?.['x-workbench-identity']).toBe(identity)
        // Nothing the upstream ever received carried the Authorization header or the token.
        const recorded = await (await fetch(upstream!.url.replace('/mcp', '/recorded'))).text()
        expect(recorded).not.toContain(bearer)
        expect(recorded).not.toMatch(/"authorization"/i)
      } else expect(headers).toBeNull()
      expect(JSON.stringify(result)).not.toContain(bearer)

      const event = fx.workbench.log.snapshot().findLast((e) => e.tool === 'whoami')
      expect(event).toMatchObject({
        verdict: 'allowed',
        upstream: { error: null, identityForwarded: true },
      })
    })
  })
}
