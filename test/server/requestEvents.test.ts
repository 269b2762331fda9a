import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLocalIssuer, type LocalIssuer } from '../support/localIssuer'
import { startWorkbench, type Fixture } from '../support/workbenchFixture'
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

describe('request events', () => {
  it('records one event per HTTP request with method, tool, identity, verdict and decoded claims, never the raw token', async () => {
    fx.workbench.log.clear()
    const token = await issuer.mint({ sub: 'auth0|carol', aud: AUD, scope: 'user read:data', name: 'Carol' })
    const client = await fx.connect(token)
    await client.callTool({ name: 'protected-widget', arguments: {} })
    const events = fx.workbench.log.snapshot()
    const call = events.find((e) => e.rpcMethod === 'tools/call')
    expect(call).toMatchObject({
      method: 'POST', path: '/mcp', status: 200, tool: 'protected-widget', widgetMode: 'required', verdict: 'allowed',
      identity: { subject: 'auth0|carol', scopes: ['user', 'read:data'] },
      token: { claims: expect.objectContaining({ sub: 'auth0|carol' }), header: expect.objectContaining({ alg: 'RS256' }), fingerprint: expect.stringMatching(/^[0-9a-f]{8}$/) },
    })
    expect(call?.requestHeaders.authorization).toMatch(/^Bearer \[redacted sha256:[0-9a-f]{8}\]$/)
    expect(call?.responseBody).toMatchObject({ result: { structuredContent: { user_id: 'auth0|carol' } } })
    expect(JSON.stringify(events)).not.toContain(token)
    expect(JSON.stringify(events)).not.toContain(token.split('.')[2])
    expect(events.map((e) => e.rpcMethod)).toEqual(expect.arrayContaining(['initialize', 'notifications/initialized', 'tools/call']))
  })

  it('records a refused token with its reason and claim, decoded but untrusted', async () => {
    fx.workbench.log.clear()
    const token = await issuer.mint({ sub: 'auth0|mallory', aud: 'https://other.example' })
    await fx.connect(token).catch(() => {})
    const [event] = fx.workbench.log.snapshot()
    expect(event).toMatchObject({ status: 401, verdict: 'invalid_token', reasonCode: 'ERR_JWT_CLAIM_VALIDATION_FAILED', claim: 'aud', identity: null, token: { claims: expect.objectContaining({ sub: 'auth0|mallory' }) } })
    expect(formatRequestLine(event)).toMatch(/POST \/mcp 401 .* initialize anonymous invalid_token/)
    expect(formatRequestLine(event)).not.toContain(token)
  })

  it('keeps a bounded ring buffer and tells subscribers', async () => {
    const small = await startWorkbench({ auth: { issuer: 'off' } }, { logCapacity: 3 })
    try {
      const seen: number[] = []
      small.workbench.log.subscribe((e) => seen.push(e.id))
      for (let i = 0; i < 5; i++) await fetch(`${small.workbench.baseUrl()}/.well-known/oauth-protected-resource`)
      const ids = small.workbench.log.snapshot().map((e) => e.id)
      expect(ids).toEqual(seen.slice(-3))
      expect(seen).toHaveLength(5)
    } finally {
      await small.close()
    }
  })
})
