import { createServer, type Server } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startWorkbench, type Fixture } from '../support/workbenchFixture'
import { signInOverHttp } from './signInOverHttp'

let fx: Fixture
let issuer: string
beforeAll(async () => {
  fx = await startWorkbench({ devIssuer: { registration: { perMinute: 6, maxClients: 3 } } })
  issuer = fx.workbench.devIssuer()?.issuer() as string
})
afterAll(() => fx?.close())

const register = (metadata: Record<string, unknown>, headers: Record<string, string> = {}) =>
  fetch(`${issuer}/reg`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(metadata),
  })

const publicClient = (redirect: string) => ({
  client_name: 'test',
  application_type: 'native',
  token_endpoint_auth_method: 'none',
  redirect_uris: [redirect],
})

function authorizeUrl(
  clientId: string,
  redirect: string,
  extra: Record<string, string> = {},
): string {
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirect,
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    code_challenge_method: 'S256',
    state: 's1',
    scope: 'user',
    resource: fx.workbench.resource(),
    ...extra,
  })
  return `${issuer}/auth?${params}`
}

describe('Client ID Metadata Documents are fetched only from public addresses (issue 8 item 5)', () => {
  let internal: Server
  let connections = 0
  beforeAll(async () => {
    internal = createServer((socket) => {
      connections++
      socket.destroy()
    })
    await new Promise<void>((resolve) => internal.listen(0, '127.0.0.1', resolve))
  })
  afterAll(() => new Promise<void>((resolve) => internal.close(() => resolve())))

  it('refuses a loopback document without opening a connection, and says why on the error page', async () => {
    const { port } = internal.address() as { port: number }
    // IPv4-mapped IPv6 spellings reach 127.0.0.1 too (a URL keeps them as [::ffff:7f00:1]).
    for (const host of ['127.0.0.1', 'localhost', '[::ffff:127.0.0.1]', '[::ffff:7f00:1]']) {
      const response = await fetch(
        authorizeUrl(`https://${host}:${port}/client.json`, 'https://app.example/cb'),
      )
      const html = await response.text()
      expect(response.status).toBe(400)
      expect(html).toContain('only from public addresses')
      expect(html).toContain('devIssuer.cimd.allowLoopback')
    }
    expect(connections).toBe(0)
  })
})

describe('dynamic client registration is bounded (issue 8 item 6) and redirect URIs are https (item 12)', () => {
  it('refuses a registration body over 8 KiB', async () => {
    const response = await register(
      { ...publicClient('http://127.0.0.1:1/cb'), client_name: 'x'.repeat(9 * 1024) },
      { 'x-forwarded-for': '203.0.113.1' },
    )
    expect(response.status).toBe(413)
    expect(await response.json()).toMatchObject({ error: 'invalid_client_metadata' })
  })

  it('refuses http redirect URIs on other hosts than loopback, with the reason', async () => {
    const response = await register(publicClient('http://app.example/cb'), {
      'x-forwarded-for': '203.0.113.2',
    })
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({
      error: 'invalid_redirect_uri',
      error_description: expect.stringContaining('use https'),
    })
  })

  it('limits registrations per source address (the tunnel forwards the caller in X-Forwarded-For)', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 8; i++)
      statuses.push(
        (
          await register(publicClient('http://127.0.0.1:1/cb'), {
            'x-forwarded-for': '198.51.100.7',
          })
        ).status,
      )
    expect(statuses.slice(0, 6).every((s) => s === 201)).toBe(true)
    expect(statuses.slice(6)).toEqual([429, 429])
    expect(
      (await register(publicClient('http://127.0.0.1:1/cb'), { 'x-forwarded-for': '198.51.100.8' }))
        .status,
    ).toBe(201)
  })

  it('keeps at most devIssuer.registration.maxClients clients, evicting the least recently used', async () => {
    const ids: string[] = []
    for (let i = 0; i < 4; i++) {
      const response = await register(publicClient('http://127.0.0.1:1/cb'), {
        'x-forwarded-for': `192.0.2.${i + 10}`,
      })
      ids.push(((await response.json()) as { client_id: string }).client_id)
    }
    const first = await fetch(authorizeUrl(ids[0], 'http://127.0.0.1:1/cb'), { redirect: 'manual' })
    expect(first.status).toBe(400)
    expect(await first.text()).toContain('invalid_client')
    const last = await fetch(authorizeUrl(ids[3], 'http://127.0.0.1:1/cb'), { redirect: 'manual' })
    expect(last.status).toBe(303)
  })
})

describe('authorization responses', () => {
  it('issues tokens only for this server (item 11), and the error redirect carries iss (RFC 9207)', async () => {
    const redirect = 'http://127.0.0.1:1/cb'
    const { client_id: clientId } = (await (
      await register(publicClient(redirect), { 'x-forwarded-for': '192.0.2.99' })
    ).json()) as { client_id: string }
    const response = await fetch(
      authorizeUrl(clientId, redirect, { resource: 'https://bank.example/api' }),
      { redirect: 'manual' },
    )
    const location = new URL(response.headers.get('location') as string)
    expect(location.origin + location.pathname).toBe(redirect)
    expect(Object.fromEntries(location.searchParams)).toMatchObject({
      error: 'invalid_target',
      iss: issuer,
      state: 's1',
    })
  })

  it('shows the redirect host on the consent page, with a warning for a loopback redirect (item 12)', async () => {
    const redirect = 'http://127.0.0.1:45678/callback'
    const { client_id: clientId } = (await (
      await register(publicClient(redirect), { 'x-forwarded-for': '192.0.2.98' })
    ).json()) as { client_id: string }
    const pages: string[] = []
    await signInOverHttp(authorizeUrl(clientId, redirect), {
      onPage: (html) => pages.push(html),
    }).catch(() => null)
    const consent = pages.find((p) => p.includes('id="allow"')) ?? ''
    expect(consent).toContain('<code class="redirect-host">127.0.0.1:45678</code>')
    expect(consent).toContain('A program on this computer receives the answer')
  })
})

describe('forwarded headers (issue 8 item 13)', () => {
  it("ignores a caller's X-Forwarded-Host and -Proto: discovery names the configured URL", async () => {
    const response = await fetch(`${issuer}/.well-known/openid-configuration`, {
      headers: { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' },
    })
    const metadata = (await response.json()) as Record<string, string>
    for (const key of [
      'authorization_endpoint',
      'token_endpoint',
      'registration_endpoint',
      'jwks_uri',
    ]) {
      expect(metadata[key].startsWith(`${issuer}/`)).toBe(true)
    }
    expect(JSON.stringify(metadata)).not.toContain('evil.example')
  })
})
