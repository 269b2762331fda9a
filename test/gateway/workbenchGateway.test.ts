import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRemoteJWKSet, jwtVerify } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createWorkbench, type Workbench } from '../../src/main/core'
import { IDENTITY_JWKS_PATH } from '../../src/main/gateway/identityToken'
import type { Upstream } from '../../src/shared/config'
import { startLocalIssuer, type LocalIssuer } from '../support/localIssuer'
import type { Client } from '@modelcontextprotocol/client'
import { connectClient, rawPost } from './gatewayHarness'
import { eventually } from './support'
import { RECORDING_SERVER, startHttpUpstream, type RunningUpstream } from './upstreamServers'

const AUDIENCE = 'https://api.workbench.test'
type Seen = { headers: Record<string, string> | null; meta: Record<string, string> | null }

for (const transport of ['http', 'stdio'] as const) {
  describe(`the Workbench in front of a ${transport} upstream`, () => {
    let issuer: LocalIssuer
    let upstream: RunningUpstream | null = null
    let workbench: Workbench
    let dir: string
    let target: NonNullable<Upstream>
    /** Over stdio: what the fixture's next start declares (written before a crash). */
    let nextStart: string
    const token = (scope: string) =>
      issuer.mint({ sub: 'auth0|alice', aud: AUDIENCE, scope, azp: 'client-1', name: 'Alice' })
    const lastEvent = (tool: string) => workbench.log.snapshot().findLast((e) => e.tool === tool)
    /** The securitySchemes a client is shown for a tool (in `_meta`: the SDK client drops unknown top-level keys). */
    const listedSchemes = async (client: Client, name: string) =>
      (await client.listTools()).tools.find((t) => t.name === name)?._meta?.securitySchemes
    /** The call was refused with the challenge, decided on echo's new declaration (required). */
    const refusedAsRequired = (
      result: { isError?: unknown },
      event: Record<string, unknown> = {},
    ) => {
      expect(result.isError).toBe(true)
      expect(lastEvent('echo')).toMatchObject({
        verdict: 'challenged',
        widgetMode: 'required',
        ...event,
      })
      expect(workbench.widgetSummaries().find((w) => w.id === 'echo')?.declaredMode).toBe(
        'required',
      )
    }
    /** Changes echo's securitySchemes on the HTTP upstream, with no list_changed. */
    const declareEcho = (securitySchemes: unknown[]) =>
      fetch(new URL('/declare', upstream!.url), {
        method: 'POST',
        body: JSON.stringify({ tool: 'echo', securitySchemes }),
      })

    beforeAll(async () => {
      issuer = await startLocalIssuer()
      if (transport === 'http') upstream = await startHttpUpstream('recording')
      dir = await mkdtemp(join(tmpdir(), 'workbench-gateway-'))
      nextStart = join(dir, 'next-start.json')
      target = upstream
        ? { url: upstream.url }
        : {
            command: process.execPath,
            args: [RECORDING_SERVER, '--stdio'],
            env: { FIXTURE_NEXT_START: nextStart },
          }
      const configPath = join(dir, 'config.json')
      const config = {
        server: { port: 0 },
        auth: { issuer: issuer.issuer, audience: AUDIENCE },
        upstream: target,
      }
      await writeFile(configPath, JSON.stringify(config))
      workbench = await createWorkbench({ configPath, dataDir: join(dir, 'data') })
      await workbench.start()
      await eventually(() => workbench.widgetSummaries().some((w) => w.id === 'whoami'))
    })
    afterAll(async () => {
      await workbench.close()
      await upstream?.stop()
      await issuer.close()
      await rm(dir, { recursive: true, force: true })
    })

    it('answers an anonymous call to a Required tool with the sign-in challenge, forwarding nothing', async () => {
      const client = await connectClient(workbench.mcpUrl())
      const result = await client.callTool({ name: 'whoami', arguments: {} })
      await client.close()
      expect(result.isError).toBe(true)
      const challenge = (result._meta as Record<string, string[]>)['mcp/www_authenticate'][0]
      expect(challenge).toMatch(/^Bearer error="invalid_token".*resource_metadata=".*scope="user"/)
      expect(lastEvent('whoami')).toMatchObject({ verdict: 'challenged', widgetMode: 'required' })
      expect(lastEvent('whoami')?.upstream).toBeUndefined()
    })

    it('forwards a signed-in call with a verifiable identity and without the token', async () => {
      const bearer = await token('user')
      const client = await connectClient(workbench.mcpUrl(), {}, bearer)
      const result = (await client.callTool({ name: 'whoami', arguments: {} })) as {
        structuredContent: Seen
      }
      await client.close()
      const { headers, meta } = result.structuredContent
      const identity = meta!['workbench/identity']
      if (headers) {
        expect(headers.authorization).toBeUndefined()
        expect(headers['x-workbench-identity']).toBe(identity)
      }
      expect(JSON.stringify(result)).not.toContain(bearer)
      const jwks = createRemoteJWKSet(new URL(IDENTITY_JWKS_PATH, workbench.localBaseUrl()))
      const { payload } = await jwtVerify(identity, jwks, { issuer: workbench.baseUrl() })
      expect(payload).toMatchObject({ sub: 'auth0|alice', scope: 'user', client_id: 'client-1' })
      expect(lastEvent('whoami')).toMatchObject({
        verdict: 'allowed',
        upstream: {
          error: null,
          identityForwarded: true,
          status: transport === 'http' ? 200 : null,
        },
      })
      // The upstream's answer is in the log, with the identity it echoed redacted like any token.
      const logged = JSON.stringify(lastEvent('whoami')?.responseBody)
      expect(logged).toContain('"recorded"')
      expect(logged).not.toContain(identity)
    })

    it('asks for step-up when the token lacks the scope the upstream declares', async () => {
      const client = await connectClient(workbench.mcpUrl(), {}, await token('user'))
      const result = await client.callTool({ name: 'admin-only', arguments: {} })
      await client.close()
      const challenge = (result._meta as Record<string, string[]>)['mcp/www_authenticate'][0]
      expect(challenge).toMatch(/error="insufficient_scope".*scope="admin"/)
      expect(lastEvent('admin-only')?.upstream).toBeUndefined()
    })

    it('refuses a forged token with HTTP 401 before anything is relayed', async () => {
      const other = await startLocalIssuer()
      const forged = await other.mint({
        sub: 'auth0|mallory',
        aud: AUDIENCE,
        iss: issuer.issuer,
        scope: 'user admin',
      })
      await other.close()
      const call = {
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'echo', arguments: {} },
      }
      const reply = await rawPost(workbench.mcpUrl(), call, { authorization: `Bearer ${forged}` })
      expect(reply.status).toBe(401)
      expect(reply.headers.get('www-authenticate')).toMatch(/invalid_token/)
      expect(workbench.log.snapshot().at(-1)?.upstream).toBeUndefined()
    })

    it('lists the upstream tools as widgets and applies a mode change live', async () => {
      expect(workbench.widgetSummaries().find((w) => w.id === 'echo')).toMatchObject({
        declaredMode: 'none',
        effectiveMode: 'none',
        upstream: { isWidget: false, warning: null },
      })
      const watcher = await connectClient(workbench.mcpUrl())
      let changed = 0
      watcher.setNotificationHandler('notifications/tools/list_changed', () => void changed++)
      await eventually(() =>
        workbench.log.snapshot().some((e) => e.method === 'GET' && e.path === '/mcp'),
      )
      await workbench.config.update((raw) => ({
        ...raw,
        widgets: { echo: { auth: 'required', scopes: ['user'] } },
      }))
      await eventually(() => changed > 0)
      await watcher.close()
      const client = await connectClient(workbench.mcpUrl())
      expect(await listedSchemes(client, 'echo')).toEqual([{ type: 'oauth2', scopes: ['user'] }])
      const refused = await client.callTool({ name: 'echo', arguments: { text: 'x' } })
      expect(refused.isError).toBe(true)
      await client.close()
      await workbench.config.update((raw) => ({ ...raw, widgets: { mixed: { auth: 'none' } } }))
      expect(workbench.widgetSummaries().find((w) => w.id === 'mixed')?.upstream?.warning).toMatch(
        /get through/,
      )
    })

    it('shows the upstream on the status and serves local widgets again when the upstream is removed', async () => {
      expect(workbench.status().gateway).toMatchObject({ kind: transport, state: 'ready' })
      await workbench.config.update((raw) => ({ ...raw, upstream: null }))
      await eventually(() => workbench.status().gateway === null)
      expect(workbench.widgetSummaries().some((w) => w.id === 'public-widget')).toBe(true)
      await workbench.config.update((raw) => ({ ...raw, upstream: target }))
      await eventually(() => workbench.widgetSummaries().some((w) => w.id === 'whoami'))
    })

    if (transport === 'http')
      it('decides on the declarations a client was just shown, when the upstream changed them without a word', async () => {
        const client = await connectClient(workbench.mcpUrl())
        try {
          expect(await client.callTool({ name: 'echo', arguments: { text: 'hi' } })).toMatchObject({
            content: [{ text: 'hi' }],
          })
          // The developer's server now requires sign-in for echo, and sends no list_changed.
          await declareEcho([{ type: 'oauth2', scopes: ['user'] }])
          expect(await listedSchemes(client, 'echo')).toEqual([
            { type: 'oauth2', scopes: ['user'] },
          ])
          refusedAsRequired(await client.callTool({ name: 'echo', arguments: { text: 'hi' } }))
          expect(lastEvent('echo')?.upstream).toBeUndefined()
          expect(workbench.widgetSummaries().find((w) => w.id === 'echo')).toMatchObject({
            declaredMode: 'required',
            effectiveMode: 'required',
          })
        } finally {
          await client.close()
          await declareEcho([{ type: 'noauth' }])
        }
      })

    if (transport === 'http')
      it('decides a call again when the upstream forgot its session (it restarted, maybe with new code)', async () => {
        const client = await connectClient(workbench.mcpUrl())
        try {
          expect(await listedSchemes(client, 'echo')).toEqual([{ type: 'noauth' }])
          const before = await client.callTool({ name: 'echo', arguments: { text: 'hi' } })
          expect(before.isError).toBeFalsy()
          await declareEcho([{ type: 'oauth2', scopes: ['user'] }])
          await fetch(new URL('/drop-sessions', upstream!.url))
          // This call finds the session gone (404): the gateway opens a new one, reads the tools again and
          // decides the call on what the restarted upstream declares, before sending it again.
          const result = await client.callTool({ name: 'echo', arguments: { text: 'hi' } })
          refusedAsRequired(result, { upstream: { status: 404, error: null } })
        } finally {
          await client.close()
          await declareEcho([{ type: 'noauth' }])
        }
      })

    if (transport === 'stdio')
      it('decides a call again when it waited for the child to restart (maybe with new code)', async () => {
        const client = await connectClient(workbench.mcpUrl())
        try {
          expect(await listedSchemes(client, 'echo')).toEqual([{ type: 'noauth' }])
          const next = {
            declare: { echo: [{ type: 'oauth2', scopes: ['user'] }] },
            startDelayMs: 1500,
          }
          await writeFile(nextStart, JSON.stringify(next))
          // crash declares nothing: inherit, so a signed-in caller.
          const signedIn = await connectClient(workbench.mcpUrl(), {}, await token('user'))
          await signedIn.callTool({ name: 'crash', arguments: {} })
          await signedIn.close()
          await eventually(() => workbench.status().gateway?.state !== 'ready')
          // Sent while the child restarts: decided on echo's old mode, then again once the new child is up.
          refusedAsRequired(await client.callTool({ name: 'echo', arguments: { text: 'hi' } }))
        } finally {
          await client.close()
        }
      })
  })
}
