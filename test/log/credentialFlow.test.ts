import { createHash, randomBytes } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client'
import { createLogCommands } from '../../src/main/commands/logCommands'
import { createConnectClient, type ConnectClient } from '../../src/main/connect'
import { formatRequestLine } from '../../src/main/serve'
import { signInOverHttp } from '../issuer/signInOverHttp'
import { startWorkbench, type Fixture } from '../support/workbenchFixture'
import { createSecretHarvest } from './secretHarvest'

let fx: Fixture
let connect: ConnectClient | undefined
let callbackServer: Server
const serveLog: string[] = []

beforeAll(async () => {
  callbackServer = createServer((_req, res) => res.end('signed in'))
  await new Promise<void>((resolve) => callbackServer.listen(0, '127.0.0.1', resolve))
  fx = await startWorkbench({})
  fx.workbench.log.subscribe((e) => serveLog.push(formatRequestLine(e)))
})
afterAll(async () => {
  await connect?.close()
  await fx?.close()
  callbackServer?.close()
})

const base64url = (b: Buffer) => b.toString('base64url')

describe('no raw credential reaches the log', () => {
  it('after registration, PKCE, sign-in, consent, token, refresh, a widget call and Connect', async () => {
    const harvest = createSecretHarvest()
    const issuer = fx.workbench.devIssuer()?.issuer() as string
    const redirectUri = `http://127.0.0.1:${(callbackServer.address() as AddressInfo).port}/callback`

    const registration = await harvest.fetch(`${issuer}/reg`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_name: 'Flow',
        token_endpoint_auth_method: 'client_secret_post',
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code', 'refresh_token'],
      }),
    })
    expect(registration.status).toBe(201)
    const client = (await registration.json()) as { client_id: string; client_secret: string }

    const verifier = base64url(randomBytes(32))
    harvest.secrets.add(verifier)
    const challenge = base64url(createHash('sha256').update(verifier).digest())
    const authorize = new URL(`${issuer}/auth`)
    authorize.search = new URLSearchParams({
      client_id: client.client_id,
      response_type: 'code',
      redirect_uri: redirectUri,
      scope: 'openid offline_access user read:data',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state: 'st-1',
      resource: fx.workbench.resource(),
      prompt: 'consent',
    }).toString()
    const callback = await signInOverHttp(authorize.href, { fetch: harvest.fetch })
    const code = callback.searchParams.get('code')
    expect(code).toEqual(expect.any(String))

    const form = (params: Record<string, string>) => ({
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params).toString(),
    })
    const tokens = (await (
      await harvest.fetch(
        `${issuer}/token`,
        form({
          grant_type: 'authorization_code',
          code: code as string,
          code_verifier: verifier,
          redirect_uri: redirectUri,
          client_id: client.client_id,
          client_secret: client.client_secret,
          resource: fx.workbench.resource(),
        }),
      )
    ).json()) as { access_token: string; refresh_token: string; id_token: string }
    expect(tokens).toMatchObject({
      access_token: expect.any(String),
      refresh_token: expect.any(String),
      id_token: expect.any(String),
    })
    const refreshed = (await (
      await harvest.fetch(
        `${issuer}/token`,
        form({
          grant_type: 'refresh_token',
          refresh_token: tokens.refresh_token,
          client_id: client.client_id,
          client_secret: client.client_secret,
          resource: fx.workbench.resource(),
        }),
      )
    ).json()) as { access_token: string }
    expect(refreshed.access_token).toEqual(expect.any(String))

    const mcp = new Client({ name: 'flow', version: '1' })
    await mcp.connect(
      new StreamableHTTPClientTransport(new URL(fx.workbench.mcpUrl()), {
        fetch: harvest.fetch,
        requestInit: { headers: { authorization: `Bearer ${refreshed.access_token}` } },
      }),
    )
    expect(
      (await mcp.callTool({ name: 'protected-widget', arguments: { message: 'hi' } })).isError,
    ).toBeFalsy()
    await mcp.close()

    connect = createConnectClient({
      fetch: harvest.fetch,
      openUrl: (url) =>
        void signInOverHttp(url, { fetch: harvest.fetch }).then(
          (cb) => harvest.url(cb),
          () => {},
        ),
      browserTimeoutMs: 20_000,
    })
    expect((await connect.start(fx.workbench.mcpUrl(), { scope: 'user' })).state).toBe('connected')
    harvest.secrets.add((await connect.accessToken()) as string)

    const secrets = [...harvest.secrets]
    for (const expected of [
      client.client_secret,
      verifier,
      code,
      tokens.access_token,
      tokens.refresh_token,
      tokens.id_token,
    ])
      expect(secrets).toContain(expected)
    expect(secrets.length).toBeGreaterThan(10)

    const snapshot = JSON.stringify(fx.workbench.log.snapshot())
    const handlers = createLogCommands({
      workbench: fx.workbench,
      mode: 'browser',
      resolveIdentity: async () => ({ token: null, label: 'anonymous' }),
    })
    const exported = (await handlers['log:export']()).json
    const lines = serveLog.join('\n')
    const leaks = secrets.filter(
      (s) => snapshot.includes(s) || exported.includes(s) || lines.includes(s),
    )
    expect(leaks).toEqual([])
    expect(snapshot).toContain('[redacted sha256:')
  })
})
