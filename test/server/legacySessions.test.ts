import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLocalIssuer, type LocalIssuer } from '../support/localIssuer'
import { INITIALIZE, postMcp, startWorkbench, type Fixture } from '../support/workbenchFixture'

const AUD = 'https://api.workbench.test'
let issuer: LocalIssuer
let fx: Fixture

beforeAll(async () => {
  issuer = await startLocalIssuer()
  fx = await startWorkbench(
    { auth: { issuer: issuer.issuer, audience: AUD } },
    { sessionLimits: { maxSessions: 4, maxPerSource: 100 } },
  )
})
afterAll(async () => {
  await fx?.close()
  await issuer?.close()
})

async function open(headers: Record<string, string> = {}): Promise<string> {
  const reply = await postMcp(fx.workbench.mcpUrl(), INITIALIZE, headers)
  expect(reply.status).toBe(200)
  return reply.headers.get('mcp-session-id') ?? ''
}

function listTools(session: string, headers: Record<string, string> = {}) {
  const message = { jsonrpc: '2.0', id: 2, method: 'tools/list' }
  return postMcp(fx.workbench.mcpUrl(), message, {
    'mcp-session-id': session,
    'mcp-protocol-version': '2025-06-18',
    ...headers,
  })
}

describe('legacy session limits', () => {
  it('evicts anonymous sessions before a signed-in one; an evicted client gets 404 and can re-initialize', async () => {
    const token = await issuer.mint({ sub: 'auth0|alice', aud: AUD, scope: 'user' })
    const auth = { authorization: `Bearer ${token}` }
    const alice = await open(auth)
    const anonymous: string[] = []
    for (let i = 0; i < 10; i++) anonymous.push(await open())
    expect(fx.workbench.status().sessions).toBe(4)

    expect((await listTools(alice, auth)).status).toBe(200)
    const evicted = await listTools(anonymous[0])
    expect(evicted.status).toBe(404)
    expect(evicted.json).toMatchObject({
      error: { code: -32001, message: expect.stringMatching(/Session not found/) },
    })
    const again = await open()
    expect((await listTools(again)).status).toBe(200)
    expect((await listTools(alice, auth)).status).toBe(200)
  })

  it('caps the sessions one source address holds', async () => {
    const capped = await startWorkbench(
      { auth: { issuer: 'off' } },
      { sessionLimits: { maxSessions: 100, maxPerSource: 3 } },
    )
    try {
      for (let i = 0; i < 6; i++) await postMcp(capped.workbench.mcpUrl(), INITIALIZE)
      expect(capped.workbench.status().sessions).toBe(3)
      // Through the tunnel every caller's peer is the local agent: the address it appends counts.
      for (const caller of ['198.51.100.7', '203.0.113.9'])
        for (let i = 0; i < 4; i++) {
          const forged = { 'x-forwarded-for': `10.0.0.${i}, ${caller}` }
          await postMcp(capped.workbench.mcpUrl(), INITIALIZE, forged)
        }
      expect(capped.workbench.status().sessions).toBe(9)
    } finally {
      await capped.close()
    }
  })
})
