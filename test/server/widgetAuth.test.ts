import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CallToolResult } from '@modelcontextprotocol/client'
import { startLocalIssuer, type LocalIssuer } from '../support/localIssuer'
import {
  ERAS,
  INITIALIZE,
  modernHeaders,
  modernRequest,
  parseChallenge,
  postMcp,
  startWorkbench,
  type Fixture,
} from '../support/workbenchFixture'

const AUDIENCE = 'https://api.workbench.test'
let issuer: LocalIssuer
let fx: Fixture

beforeAll(async () => {
  issuer = await startLocalIssuer()
  fx = await startWorkbench({
    auth: { issuer: issuer.issuer, audience: AUDIENCE, requiredScopes: ['user'] },
  })
})
afterAll(async () => {
  await fx?.close()
  await issuer?.close()
})

const alice = (scopes: string, extra: Record<string, unknown> = {}) =>
  issuer.mint({
    sub: 'auth0|alice',
    aud: AUDIENCE,
    scope: scopes,
    name: 'Alice',
    email: 'alice@example.test',
    azp: 'client-1',
    ...extra,
  })

function text(result: CallToolResult): string {
  return result.content.map((c) => (c.type === 'text' ? c.text : '')).join('')
}

describe.each(ERAS)('tools/call without a token (%s era)', (era) => {
  it('runs public and optional widgets anonymously', async () => {
    const client = await fx.connect(undefined, era)
    const pub = (await client.callTool({ name: 'public-widget', arguments: {} })) as CallToolResult
    expect(pub.structuredContent).toEqual({
      message: 'This is public content',
      authenticated: false,
      note: 'Anyone can access this widget',
    })
    const flex = (await client.callTool({
      name: 'flexible-widget',
      arguments: {},
    })) as CallToolResult
    expect(flex.structuredContent).toMatchObject({
      tier: 'free',
      features: ['basic'],
      personalized: false,
    })
  })

  it('answers a required widget with an error result carrying a well-formed sign-in challenge', async () => {
    const client = await fx.connect(undefined, era)
    const result = (await client.callTool({
      name: 'protected-widget',
      arguments: { message: 'Hi' },
    })) as CallToolResult
    expect(result.isError).toBe(true)
    expect(text(result)).toMatch(/Authentication required/)
    const hints = result._meta?.['mcp/www_authenticate'] as string[]
    expect(hints).toHaveLength(1)
    const params = parseChallenge(hints[0])
    expect(params).toEqual({
      error: 'invalid_token',
      error_description: expect.any(String),
      resource_metadata: `${fx.workbench.baseUrl()}/.well-known/oauth-protected-resource/mcp`,
      scope: 'user read:data',
    })
  })
})

describe.each(ERAS)('tools/call with a valid token (%s era)', (era) => {
  it('greets the signed-in user with the claims and scopes of the token', async () => {
    const client = await fx.connect(await alice('user read:data'), era)
    const result = (await client.callTool({
      name: 'protected-widget',
      arguments: { message: 'Testing auth' },
    })) as CallToolResult
    expect(result.isError).toBeFalsy()
    expect(result.structuredContent).toEqual({
      message: 'Hello, Alice!',
      user_id: 'auth0|alice',
      email: 'alice@example.test',
      scopes: ['user', 'read:data'],
      has_read: true,
      has_write: false,
      has_admin: false,
      input_message: 'Testing auth',
    })
  })

  it('gives the flexible widget its premium tier', async () => {
    const client = await fx.connect(await alice('user'), era)
    const result = (await client.callTool({
      name: 'flexible-widget',
      arguments: {},
    })) as CallToolResult
    expect(result.structuredContent).toMatchObject({
      tier: 'premium',
      user_id: 'auth0|alice',
      personalized: true,
    })
  })

  it('asks for step-up with every scope the widget needs when the token lacks one', async () => {
    const client = await fx.connect(await alice('user'), era)
    const result = (await client.callTool({
      name: 'protected-widget',
      arguments: {},
    })) as CallToolResult
    expect(result.isError).toBe(true)
    const params = parseChallenge((result._meta?.['mcp/www_authenticate'] as string[])[0])
    expect(params.error).toBe('insufficient_scope')
    expect(params.scope).toBe('user read:data')
    expect(params.resource_metadata).toMatch(/\/\.well-known\/oauth-protected-resource\/mcp$/)
  })

  it('runs an optional widget anonymously when the token lacks its scopes', async () => {
    const client = await fx.connect(await alice('read:data'), era)
    const result = (await client.callTool({
      name: 'flexible-widget',
      arguments: {},
    })) as CallToolResult
    expect(result.structuredContent).toMatchObject({ tier: 'free' })
  })

  it('reads scopes from scp (string or array) and Auth0 permissions', async () => {
    for (const claims of [
      { scp: ['user', 'read:data'] },
      { scp: 'user read:data' },
      { permissions: ['user', 'read:data'] },
    ]) {
      const token = await issuer.mint({ sub: 'okta|bob', aud: AUDIENCE, ...claims })
      const client = await fx.connect(token, era)
      const result = (await client.callTool({
        name: 'protected-widget',
        arguments: {},
      })) as CallToolResult
      expect(result.structuredContent).toMatchObject({ user_id: 'okta|bob', has_read: true })
    }
  })

  it('matches scopes exactly, not by prefix or case', async () => {
    const client = await fx.connect(await alice('User read:data:all'), era)
    const result = (await client.callTool({
      name: 'protected-widget',
      arguments: {},
    })) as CallToolResult
    expect(parseChallenge((result._meta?.['mcp/www_authenticate'] as string[])[0]).error).toBe(
      'insufficient_scope',
    )
  })

  it('tells a public widget the caller is signed in', async () => {
    const client = await fx.connect(await alice('user'), era)
    const result = (await client.callTool({
      name: 'public-widget',
      arguments: {},
    })) as CallToolResult
    expect(result.structuredContent).toMatchObject({ authenticated: true })
  })
})

describe.each(ERAS)('a token that fails verification (%s era)', (era) => {
  it('is answered 401 with an invalid_token challenge whatever the request calls', async () => {
    const expired = await alice('user', { exp: Math.floor(Date.now() / 1000) - 3600 })
    const authorization = `Bearer ${expired}`
    const reply =
      era === 'legacy'
        ? await postMcp(fx.workbench.mcpUrl(), INITIALIZE, { authorization })
        : await postMcp(fx.workbench.mcpUrl(), modernRequest(1, 'server/discover'), {
            ...modernHeaders('server/discover'),
            authorization,
          })
    expect(reply.status).toBe(401)
    expect(fx.workbench.log.snapshot().at(-1)?.protocol).toEqual({
      era,
      version: era === 'legacy' ? '2025-06-18' : '2026-07-28',
    })
    const params = parseChallenge(reply.headers.get('www-authenticate') ?? '')
    expect(params.error).toBe('invalid_token')
    expect(params.error_description).toMatch(/expired/)
    expect(params.resource_metadata).toBe(
      `${fx.workbench.baseUrl()}/.well-known/oauth-protected-resource/mcp`,
    )
  })

  it('ignores a token in the query string: only the Authorization header carries tokens', async () => {
    const token = await alice('user read:data')
    const client = await fx.connect(undefined, era)
    const url = new URL(fx.workbench.mcpUrl())
    url.searchParams.set('access_token', token)
    const result = (await client.callTool({
      name: 'protected-widget',
      arguments: {},
      _meta: { access_token: token },
    })) as CallToolResult
    expect(result.isError).toBe(true)
    const raw = await postMcp(url.href, {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: {
        protocolVersion: '2025-06-18',
        capabilities: {},
        clientInfo: { name: 'q', version: '1' },
      },
    })
    expect(raw.status).toBe(200)
    const last = fx.workbench.log.snapshot().at(-1)
    expect(last?.identity).toBeNull()
    const call = fx.workbench.log.snapshot().findLast((e) => e.rpcMethod === 'tools/call')
    expect(call).toMatchObject({ verdict: 'challenged', identity: null, protocol: { era } })
  })
})
