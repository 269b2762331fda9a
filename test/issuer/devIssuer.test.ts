import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client'
import { decodeJwt } from 'jose'
import { createConnectClient, type ConnectClient } from '../../src/main/connect'
import { createDevIssuer } from '../../src/main/issuer'
import { DEFAULT_TEST_USERS } from '../../src/shared/config'
import { startWorkbench, type Fixture } from '../support/workbenchFixture'
import { signInOverHttp } from './signInOverHttp'

let fx: Fixture
const clients: ConnectClient[] = []

beforeAll(async () => {
  fx = await startWorkbench({})
})
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()))
  await fx?.close()
})

function connectAs(subject?: string): ConnectClient {
  const connect = createConnectClient({
    openUrl: (url) => void signInOverHttp(url, { subject }).catch(() => {}),
    browserTimeoutMs: 20_000,
  })
  clients.push(connect)
  return connect
}

async function callProtected(connect: ConnectClient) {
  const client = new Client({ name: 'test', version: '1.0.0' })
  await client.connect(
    new StreamableHTTPClientTransport(new URL(fx.workbench.mcpUrl()), { fetch: connect.fetch }),
  )
  try {
    return await client.callTool({ name: 'protected-widget', arguments: { message: 'Hi' } })
  } finally {
    await client.close()
  }
}

describe('development issuer metadata', () => {
  it("publishes what ChatGPT requires: DCR, PKCE S256, RFC 9207 iss, auth methods, the test users' scopes", async () => {
    const issuer = fx.workbench.devIssuer()?.issuer() as string
    expect(issuer).toBe(`${fx.workbench.baseUrl()}/oauth`)
    const metadata = (await (
      await fetch(`${issuer}/.well-known/openid-configuration`)
    ).json()) as Record<string, unknown>
    expect(metadata).toMatchObject({
      issuer,
      registration_endpoint: `${issuer}/reg`,
      code_challenge_methods_supported: ['S256'],
      authorization_response_iss_parameter_supported: true,
      token_endpoint_auth_methods_supported: [
        'none',
        'private_key_jwt',
        'client_secret_basic',
        'client_secret_post',
      ],
      client_id_metadata_document_supported: true,
      grant_types_supported: expect.arrayContaining(['authorization_code', 'refresh_token']),
    })
    expect(metadata.scopes_supported).toEqual(
      expect.arrayContaining(['user', 'read:data', 'write:data', 'admin']),
    )
    const rfc8414 = await (await fetch(`${issuer}/.well-known/oauth-authorization-server`)).json()
    expect(rfc8414).toEqual(metadata)
    expect((await fx.workbench.devIssuer()?.source.resolve())?.metadata).toEqual(metadata)
  })

  it('registers clients with ChatGPT and loopback redirect URIs', async () => {
    const issuer = fx.workbench.devIssuer()?.issuer() as string
    const response = await fetch(`${issuer}/reg`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_name: 'ChatGPT',
        token_endpoint_auth_method: 'client_secret_post',
        redirect_uris: [
          'https://chatgpt.com/connector_platform_oauth_redirect',
          'https://chatgpt.com/connector/oauth/abc123',
          'http://127.0.0.1:53123/callback',
        ],
      }),
    })
    expect(response.status).toBe(201)
    expect(await response.json()).toMatchObject({
      token_endpoint_auth_method: 'client_secret_post',
      client_secret: expect.any(String),
    })
  })
})

describe('Connect against the development issuer', () => {
  it('runs the full flow and calls the protected widget as the signed-in test user', async () => {
    const connect = connectAs()
    const state = await connect.start(fx.workbench.mcpUrl(), { scope: 'user read:data' })
    expect(state.error).toBeNull()
    expect(state.state).toBe('connected')
    expect(state.steps.map((s) => [s.id, s.status])).toEqual([
      ['challenge', 'ok'],
      ['resourceMetadata', 'ok'],
      ['authServerMetadata', 'ok'],
      ['registration', 'ok'],
      ['authorization', 'ok'],
      ['token', 'ok'],
      ['identity', 'ok'],
    ])
    expect(state.identity).toMatchObject({ subject: 'dev|alice', scopes: ['user', 'read:data'] })
    const token = (await connect.accessToken()) as string
    expect(decodeJwt(token)).toMatchObject({
      iss: fx.workbench.devIssuer()?.issuer(),
      aud: fx.workbench.resource(),
      sub: 'dev|alice',
      name: 'Alice Admin',
    })
    expect(JSON.stringify(state)).not.toContain(token)

    const result = await callProtected(connect)
    expect(result.isError).toBeFalsy()
    expect(result.structuredContent).toMatchObject({ user_id: 'dev|alice', has_read: true })
  })

  it('grants only the scopes the user holds (requested ∩ permissions)', async () => {
    const connect = connectAs('dev|bob')
    const state = await connect.start(fx.workbench.mcpUrl(), { scope: 'user read:data admin' })
    expect(state.identity).toMatchObject({ subject: 'dev|bob', scopes: ['user'] })
  })

  it('reports a denied consent as a failed authorization step', async () => {
    const connect = createConnectClient({
      openUrl: (url) => void signInOverHttp(url, { deny: true }).catch(() => {}),
      browserTimeoutMs: 20_000,
    })
    clients.push(connect)
    const state = await connect.start(fx.workbench.mcpUrl(), { scope: 'user' })
    expect(state.state).toBe('failed')
    expect(state.steps.find((s) => s.id === 'authorization')).toMatchObject({
      status: 'failed',
      error: expect.stringContaining('access_denied'),
    })
  })
})

describe('refresh tokens', () => {
  let short: Fixture
  afterAll(() => short?.close())

  it('issues refresh tokens and refreshes an access token close to expiry', async () => {
    short = await startWorkbench({ devIssuer: { accessTokenTtlSec: 10 } })
    const connect = createConnectClient({
      openUrl: (url) => void signInOverHttp(url).catch(() => {}),
      browserTimeoutMs: 20_000,
    })
    clients.push(connect)
    const state = await connect.start(short.workbench.mcpUrl(), { scope: 'user' })
    expect(state.state).toBe('connected')
    // A 10 s token is inside the 30 s refresh margin: asking for it refreshes first.
    const token = (await connect.accessToken()) as string
    expect(connect.state().steps.find((s) => s.id === 'refresh')?.status).toBe('ok')
    expect(
      (
        connect.state().steps.find((s) => s.id === 'token')?.data as {
          response: Record<string, unknown>
        }
      ).response.refresh_token,
    ).toMatch(/^\[redacted sha256:/)
    expect(decodeJwt(token).sub).toBe('dev|alice')
  })
})

describe('issuer lifecycle', () => {
  it('keeps its signing key across restarts, in a 0600 file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dev-issuer-'))
    try {
      const options = {
        dataDir: dir,
        baseUrl: 'http://127.0.0.1:1',
        users: DEFAULT_TEST_USERS,
        accessTokenTtlSec: 60,
        resource: () => 'http://127.0.0.1:1/mcp',
      }
      const a = await createDevIssuer(options)
      const b = await createDevIssuer(options)
      expect(b.signer.kid).toBe(a.signer.kid)
      expect((await stat(join(dir, 'dev-issuer-keys.json'))).mode & 0o777).toBe(0o600)
      expect(
        JSON.parse(await readFile(join(dir, 'dev-issuer-keys.json'), 'utf8')).keys[0].kid,
      ).toBe(a.signer.kid)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('follows the public URL: tokens minted for the old issuer are refused on iss', async () => {
    const dev = fx.workbench.devIssuer()
    const before = (await dev?.mintForUser('dev|alice')) as string
    expect(await fx.workbench.verifier()!.verifyAccessToken(before)).toMatchObject({ ok: true })
    await fx.workbench.setPublicUrl('https://public.example.test')
    try {
      expect(dev?.issuer()).toBe('https://public.example.test/oauth')
      expect((await dev?.source.resolve())?.metadata).toMatchObject({
        issuer: 'https://public.example.test/oauth',
        authorization_endpoint: 'https://public.example.test/oauth/auth',
      })
      expect(await fx.workbench.verifier()!.verifyAccessToken(before)).toMatchObject({
        ok: false,
        status: 401,
        reason: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
        claim: 'iss',
      })
      expect(
        await fx.workbench
          .verifier()!
          .verifyAccessToken((await dev?.mintForUser('dev|alice')) as string),
      ).toMatchObject({ ok: true })
    } finally {
      await fx.workbench.setPublicUrl(null)
    }
  })
})
