import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLocalIssuer, type LocalIssuer } from '../support/localIssuer'
import { ERAS, startWorkbench, type Fixture } from '../support/workbenchFixture'
import { formatRequestLine } from '../../src/main/serve'

const AUD = 'https://api.workbench.test'
let issuer: LocalIssuer
let fx: Fixture

beforeAll(async () => {
  issuer = await startLocalIssuer()
  fx = await startWorkbench({ auth: { issuer: issuer.issuer, audience: AUD } })
})
afterAll(async () => {
  await fx?.close()
  await issuer?.close()
})

describe.each(ERAS)('request events (%s era)', (era) => {
  it('records one event per HTTP request with method, tool, identity, verdict and decoded claims, never the raw token', async () => {
    fx.workbench.log.clear()
    const token = await issuer.mint({
      sub: 'auth0|carol',
      aud: AUD,
      scope: 'user read:data',
      name: 'Carol',
    })
    const client = await fx.connect(token, era)
    await client.callTool({ name: 'protected-widget', arguments: {} })
    const events = fx.workbench.log.snapshot()
    const call = events.find((e) => e.rpcMethod === 'tools/call')
    expect(call).toMatchObject({
      method: 'POST',
      path: '/mcp',
      status: 200,
      tool: 'protected-widget',
      widgetMode: 'required',
      verdict: 'allowed',
      identity: { subject: 'auth0|carol', scopes: ['user', 'read:data'] },
      token: {
        claims: expect.objectContaining({ sub: 'auth0|carol' }),
        header: expect.objectContaining({ alg: 'RS256' }),
        fingerprint: expect.stringMatching(/^[0-9a-f]{8}$/),
      },
      protocol: { era, version: era === 'modern' ? '2026-07-28' : '2025-11-25' },
    })
    expect(call?.requestHeaders.authorization).toMatch(/^Bearer \[redacted sha256:[0-9a-f]{8}\]$/)
    expect(call?.responseBody).toMatchObject({
      result: { structuredContent: { user_id: 'auth0|carol' } },
    })
    expect(JSON.stringify(events)).not.toContain(token)
    expect(JSON.stringify(events)).not.toContain(token.split('.')[2])
    const handshake =
      era === 'modern' ? ['server/discover'] : ['initialize', 'notifications/initialized']
    expect(events.map((e) => e.rpcMethod)).toEqual(
      expect.arrayContaining([...handshake, 'tools/call']),
    )
  })

  it('records a handler failure as an error with the message the tool result carried', async () => {
    fx.workbench.log.clear()
    const client = await fx.connect(undefined, era)
    const result = await client.callTool({ name: 'search_pizza_sf', arguments: { searchTerm: 42 } })
    expect(result.isError).toBe(true)
    const call = fx.workbench.log.snapshot().find((e) => e.rpcMethod === 'tools/call')
    expect(call).toMatchObject({
      verdict: 'error',
      reason: expect.stringMatching(/^optional auth; .*; invalid arguments: /),
    })
    const unknown = await client
      .callTool({ name: 'no-such-widget', arguments: {} })
      .catch((err: Error) => err)
    expect(unknown).toBeInstanceOf(Error)
    const failed = fx.workbench.log.snapshot().findLast((e) => e.rpcMethod === 'tools/call')
    expect(failed).toMatchObject({
      verdict: 'error',
      reason: 'unknown tool no-such-widget',
      tool: 'no-such-widget',
      protocol: { era },
    })
    expect(failed?.responseBody).toMatchObject({ error: { code: -32602 } })
  })
})

describe('request events', () => {
  it('records a refused token with its reason and claim, decoded but untrusted', async () => {
    fx.workbench.log.clear()
    const token = await issuer.mint({ sub: 'auth0|mallory', aud: 'https://other.example' })
    await fx.connect(token, 'legacy').catch(() => {})
    const [event] = fx.workbench.log.snapshot()
    expect(event).toMatchObject({
      status: 401,
      verdict: 'invalid_token',
      reasonCode: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
      claim: 'aud',
      identity: null,
      token: { claims: expect.objectContaining({ sub: 'auth0|mallory' }) },
    })
    expect(formatRequestLine(event)).toMatch(
      /POST \/mcp 401 .* 2025-11-25 initialize anonymous invalid_token/,
    )
    expect(formatRequestLine(event)).not.toContain(token)
  })

  it('logs issuer paths with their /oauth prefix', async () => {
    const dev = await startWorkbench({})
    try {
      await dev.workbench.ready()
      const response = await fetch(
        `${dev.workbench.baseUrl()}/oauth/.well-known/openid-configuration`,
      )
      expect(response.status).toBe(200)
      const event = dev.workbench.log.snapshot().at(-1)
      expect(event).toMatchObject({
        path: '/oauth/.well-known/openid-configuration',
        status: 200,
        protocol: null,
      })
    } finally {
      await dev.close()
    }
  })

  it('keeps a bounded ring buffer and tells subscribers', async () => {
    const small = await startWorkbench({ auth: { issuer: 'off' } }, { logCapacity: 3 })
    try {
      const seen: number[] = []
      small.workbench.log.subscribe((e) => seen.push(e.id))
      for (let i = 0; i < 5; i++)
        await fetch(`${small.workbench.baseUrl()}/.well-known/oauth-protected-resource`)
      const ids = small.workbench.log.snapshot().map((e) => e.id)
      expect(ids).toEqual(seen.slice(-3))
      expect(seen).toHaveLength(5)
    } finally {
      await small.close()
    }
  })
})
