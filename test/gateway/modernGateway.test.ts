import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client'
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio'
import { createRemoteJWKSet, jwtVerify } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createWorkbench, type Workbench } from '../../src/main/core'
import { IDENTITY_JWKS_PATH } from '../../src/main/gateway/identityToken'
import type { Upstream } from '../../src/shared/config'
import type { RequestEvent } from '../../src/shared/events'
import { startLocalIssuer, type LocalIssuer } from '../support/localIssuer'
import {
  createClient,
  modernHeaders,
  modernRequest,
  MODERN_VERSION,
  postMcp,
} from '../support/workbenchFixture'
import { RAW_INITIALIZE, rawPost } from './gatewayHarness'
import { eventually } from './support'
import { RECORDING_SERVER, startHttpUpstream, type RunningUpstream } from './upstreamServers'

// The Workbench in gateway mode, spoken to in MCP 2026-07-28 (stateless requests, server/discover, Mcp-Method /
// Mcp-Name headers, the version in each request's _meta), in front of the recording SDK v2 server over HTTP
// (which speaks both eras) and over stdio (one shared child, initialized by the Workbench in the 2025 era).

const AUDIENCE = 'https://api.workbench.test'
const TEMPLATE_URI = 'ui://fixture/app.html'
type Seen = { headers: Record<string, string> | null; meta: Record<string, unknown> | null }

for (const transport of ['http', 'stdio'] as const) {
  describe(`2026-07-28 clients through the Workbench to a ${transport} upstream`, () => {
    let issuer: LocalIssuer
    let upstream: RunningUpstream | null = null
    let workbench: Workbench
    let dir: string
    let target: NonNullable<Upstream>
    const clients: Client[] = []
    const token = (scope: string) =>
      issuer.mint({ sub: 'auth0|alice', aud: AUDIENCE, scope, azp: 'client-1' })
    const events = () => workbench.log.snapshot()
    const lastEvent = (where: (e: RequestEvent) => boolean) => events().findLast(where)

    async function connect(era: 'legacy' | 'modern', bearer?: string): Promise<Client> {
      const client = createClient(era)
      const requestInit = bearer ? { headers: { authorization: `Bearer ${bearer}` } } : undefined
      await client.connect(
        new StreamableHTTPClientTransport(new URL(workbench.mcpUrl()), { requestInit }),
      )
      clients.push(client)
      return client
    }

    beforeAll(async () => {
      issuer = await startLocalIssuer()
      if (transport === 'http') upstream = await startHttpUpstream('recording')
      target = upstream
        ? { url: upstream.url }
        : { command: process.execPath, args: [RECORDING_SERVER, '--stdio'], env: {} }
      dir = await mkdtemp(join(tmpdir(), 'workbench-modern-gateway-'))
      const configPath = join(dir, 'config.json')
      const config = {
        server: { port: 0 },
        auth: { issuer: issuer.issuer, audience: AUDIENCE },
        upstream: target,
        widgets: { echo: { auth: 'required', scopes: ['echo:write'] } },
      }
      await writeFile(configPath, JSON.stringify(config))
      workbench = await createWorkbench({ configPath, dataDir: join(dir, 'data') })
      await workbench.start()
      await eventually(() => workbench.widgetSummaries().some((w) => w.id === 'whoami'))
    })
    afterAll(async () => {
      await Promise.all(clients.map((c) => c.close().catch(() => {})))
      await workbench.close()
      await upstream?.stop()
      await issuer.close()
      await rm(dir, { recursive: true, force: true })
    })

    it('answers server/discover with 2026-07-28 and the upstream capabilities', async () => {
      const reply = await postMcp(
        workbench.mcpUrl(),
        modernRequest(1, 'server/discover'),
        modernHeaders('server/discover'),
      )
      expect(reply.status).toBe(200)
      const json = reply.json as { result: Record<string, unknown> }
      expect(json.result).toMatchObject({
        supportedVersions: expect.arrayContaining([MODERN_VERSION]),
        capabilities: { tools: { listChanged: true }, completions: {}, prompts: {} },
        resultType: 'complete',
        _meta: { 'io.modelcontextprotocol/serverInfo': { name: 'recording-fixture' } },
      })
      // A client pinned to 2026-07-28 connects (it refuses a discover that does not offer it).
      const client = await connect('modern')
      expect(client.getServerCapabilities()?.completions).toEqual({})
      expect(lastEvent((e) => e.rpcMethod === 'server/discover')?.protocol?.era).toBe('modern')
    })

    it('lists the upstream tools with mode-driven securitySchemes, the rest unchanged', async () => {
      const client = await connect('modern')
      const { tools } = await client.listTools()
      const byName = (name: string) => tools.find((x) => x.name === name)!
      expect(byName('whoami')._meta?.securitySchemes).toEqual([
        { type: 'oauth2', scopes: ['user'] },
      ])
      expect(byName('echo')._meta?.securitySchemes).toEqual([
        { type: 'oauth2', scopes: ['echo:write'] },
      ])
      // The SDK client strips unknown top-level keys: the top-level copy, as sent.
      const raw = await postMcp(
        workbench.mcpUrl(),
        modernRequest(2, 'tools/list'),
        modernHeaders('tools/list'),
      )
      const result = (raw.json as { result: { tools: Record<string, unknown>[]; ttlMs?: unknown } })
        .result
      expect(result).toMatchObject({ resultType: 'complete', cacheScope: 'private' })
      expect(result.tools.find((x) => x.name === 'echo')?.securitySchemes).toEqual([
        { type: 'oauth2', scopes: ['echo:write'] },
      ])
      expect(byName('show-app')._meta?.ui).toEqual({
        resourceUri: TEMPLATE_URI,
        visibility: ['model', 'app'],
        extra: { nested: [1, 2] },
      })
    })

    it('answers an anonymous call to a Required tool with the same challenge a 2025 client gets', async () => {
      const modern = await (await connect('modern')).callTool({ name: 'whoami', arguments: {} })
      const modernEvent = lastEvent((e) => e.tool === 'whoami')
      const legacy = await (await connect('legacy')).callTool({ name: 'whoami', arguments: {} })
      expect(modern.isError).toBe(true)
      expect({
        content: modern.content,
        challenge: modern._meta?.['mcp/www_authenticate'],
      }).toEqual({ content: legacy.content, challenge: legacy._meta?.['mcp/www_authenticate'] })
      expect((modern._meta?.['mcp/www_authenticate'] as string[])[0]).toMatch(
        /^Bearer error="invalid_token".*resource_metadata=".*scope="user"/,
      )
      expect(modernEvent).toMatchObject({
        verdict: 'challenged',
        widgetMode: 'required',
        protocol: { era: 'modern' },
      })
      expect(modernEvent?.upstream).toBeUndefined()
    })

    it('forwards a signed-in call with a verifiable identity, the envelope, and no token', async () => {
      const bearer = await token('user')
      const client = await connect('modern', bearer)
      const result = await client.callTool({ name: 'whoami', arguments: {} })
      const { headers, meta } = result.structuredContent as Seen
      const identity = meta!['workbench/identity'] as string
      if (transport === 'http') {
        expect(headers!.authorization).toBeUndefined()
        expect(headers!['x-workbench-identity']).toBe(identity)
        expect(headers).toMatchObject({
          'mcp-protocol-version': MODERN_VERSION,
          'mcp-method': 'tools/call',
          'mcp-name': 'whoami',
        })
      } else expect(headers).toBeNull()
      expect(JSON.stringify(result)).not.toContain(bearer)
      const jwks = createRemoteJWKSet(new URL(IDENTITY_JWKS_PATH, workbench.localBaseUrl()))
      const { payload } = await jwtVerify(identity, jwks, { issuer: workbench.baseUrl() })
      expect(payload).toMatchObject({ sub: 'auth0|alice', scope: 'user', client_id: 'client-1' })
      expect(lastEvent((e) => e.tool === 'whoami')).toMatchObject({
        verdict: 'allowed',
        protocol: { era: 'modern' },
        upstream: { error: null, identityForwarded: true, status: upstream ? 200 : null },
      })
    })

    it('reads the ui:// template byte-identical to the upstream', async () => {
      const via = await (await connect('modern')).readResource({ uri: TEMPLATE_URI })
      const direct = new Client({ name: 'direct', version: '1' })
      await direct.connect(
        upstream
          ? new StreamableHTTPClientTransport(new URL(upstream.url))
          : new StdioClientTransport({
              command: process.execPath,
              args: [RECORDING_SERVER, '--stdio'],
            }),
      )
      clients.push(direct)
      const original = (await direct.readResource({ uri: TEMPLATE_URI })).contents[0]
      const relayed = via.contents[0]
      expect((relayed as { text: string }).text).toBe((original as { text: string }).text)
      expect(relayed.mimeType).toBe('text/html;profile=mcp-app')
      expect(relayed._meta).toEqual(original._meta)
    })

    it('refuses a request whose Mcp-Method or Mcp-Name does not match its body with 400, before the upstream', async () => {
      const call = (id: number) => modernRequest(id, 'tools/call', { name: 'echo', arguments: {} })
      const cases = [
        [7, modernHeaders('tools/list', 'echo')],
        [8, modernHeaders('tools/call', 'whoami')],
        [9, modernHeaders('tools/call')],
        [10, modernHeaders('tools/call', `=?base64?${Buffer.from('whoami').toString('base64')}?=`)],
      ] as const
      for (const [id, headers] of cases) {
        const reply = await postMcp(workbench.mcpUrl(), call(id), headers)
        expect(reply.status, `request ${id}`).toBe(400)
        expect(reply.json).toMatchObject({ id, error: { code: -32020 } })
        const event = lastEvent((e) => e.rpcId === id)
        expect(event?.upstream).toBeUndefined()
        expect(event?.verdict).toBe('error')
      }
      // A task's requests name it too (Mcp-Name mirrors params.taskId).
      const task = await postMcp(
        workbench.mcpUrl(),
        modernRequest(12, 'tasks/get', { taskId: 'task-1' }),
        modernHeaders('tasks/get', 'task-2'),
      )
      expect(task.status).toBe(400)
      expect(task.json).toMatchObject({
        id: 12,
        error: { code: -32020, message: expect.stringContaining('params.taskId="task-1"') },
      })
      expect(lastEvent((e) => e.rpcId === 12)?.upstream).toBeUndefined()
      // The base64 form of the right name passes (an anonymous call to a Required tool: the challenge).
      const encoded = `=?base64?${Buffer.from('echo').toString('base64')}?=`
      const ok = await postMcp(workbench.mcpUrl(), call(11), modernHeaders('tools/call', encoded))
      expect(ok.status).toBe(200)
      expect(JSON.stringify(ok.json)).toContain('mcp/www_authenticate')
    })

    it('lists the scopes the upstream tools declare and are served with in scopes_supported', async () => {
      const response = await fetch(
        new URL('/.well-known/oauth-protected-resource/mcp', workbench.localBaseUrl()),
      )
      const metadata = (await response.json()) as { scopes_supported: string[] }
      expect(metadata.scopes_supported).toEqual(['admin', 'echo:write', 'read:data', 'user'])
    })

    it('tells a listening 2026-07-28 client when a mode changes in the Workbench', async () => {
      const client = await connect('modern')
      let changed = 0
      client.setNotificationHandler('notifications/tools/list_changed', () => void changed++)
      const subscription = await client.listen({ toolsListChanged: true })
      await workbench.config.update((raw) => ({
        ...raw,
        widgets: { ...(raw.widgets as object), mixed: { auth: 'none' } },
      }))
      await eventually(() => changed > 0)
      await subscription.close()
    })

    if (transport === 'http') {
      it('records the upstream leg of the GET stream and of the session DELETE', async () => {
        const before = events().length
        const client = createClient('legacy')
        const connection = new StreamableHTTPClientTransport(new URL(workbench.mcpUrl()))
        await client.connect(connection)
        await eventually(async () =>
          Number(await (await fetch(upstream!.url.replace('/mcp', '/open-streams'))).text()),
        )
        await connection.terminateSession()
        await client.close()
        const mine = () => events().slice(before)
        const get = await eventually(() => mine().find((e) => e.method === 'GET'))
        const del = mine().find((e) => e.method === 'DELETE')
        expect(get.upstream).toMatchObject({
          target: upstream!.url,
          status: 200,
          error: null,
          upstreamError: null,
          identityForwarded: false,
        })
        expect(get.upstream!.latencyMs).toBeGreaterThanOrEqual(0)
        expect(del?.upstream).toMatchObject({ target: upstream!.url, status: 200, error: null })
      })

      it('puts the upstream refusing a DELETE, and an upstream that is down, on the leg', async () => {
        const init = await rawPost(workbench.mcpUrl(), RAW_INITIALIZE)
        const session = { 'mcp-session-id': init.headers.get('mcp-session-id')! }
        await fetch(upstream!.url.replace('/mcp', '/drop-sessions'))
        const deleted = await fetch(workbench.mcpUrl(), { method: 'DELETE', headers: session })
        expect(deleted.status).toBe(404)
        const del = await eventually(() => lastEvent((e) => e.method === 'DELETE'))
        expect(del.upstream).toMatchObject({
          status: 404,
          error: null,
          upstreamError: 'answered DELETE with HTTP 404',
        })
        const again = await rawPost(workbench.mcpUrl(), RAW_INITIALIZE)
        await upstream!.stop()
        const stream = await fetch(workbench.mcpUrl(), {
          headers: {
            accept: 'text/event-stream',
            'mcp-session-id': again.headers.get('mcp-session-id')!,
          },
        })
        expect(stream.status).toBe(502)
        const get = await eventually(() => lastEvent((e) => e.method === 'GET'))
        expect(get.upstream).toMatchObject({
          status: null,
          error: expect.stringMatching(/unreachable \(ECONNREFUSED/),
        })
      })
    }
  })
}
