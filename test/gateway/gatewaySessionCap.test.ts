import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSessionBounds } from '../../src/main/gateway/boundedSessions'
import type { Upstream } from '../../src/shared/config'
import { startWorkbench, type Fixture } from '../support/workbenchFixture'
import { RAW_INITIALIZE, rawPost } from './gatewayHarness'
import { eventually } from './support'
import { RECORDING_SERVER, startHttpUpstream, type RunningUpstream } from './upstreamServers'

const PING = { jsonrpc: '2.0', id: 2, method: 'tools/list' }

type S = { lastSeen: number; signedIn?: boolean; source?: string }

describe('gateway session bounds per source (unit)', () => {
  const fill = (entries: [string, S][]) => new Map<string, S>(entries)
  const closer = (sessions: Map<string, S>, closed: string[]) => (id: string) =>
    void (closed.push(id), sessions.delete(id))

  it('a source at its cap closes its own stalest session, anonymous first, never another source’s', () => {
    const bounds = createSessionBounds({ maxPerSource: 3, maxSessions: 100 })
    const sessions = fill([
      ['victim', { lastSeen: 1, source: 'a' }],
      ['b-user', { lastSeen: 2, source: 'b', signedIn: true }],
      ['b1', { lastSeen: 5, source: 'b' }],
      ['b2', { lastSeen: 6, source: 'b' }],
    ])
    const closed: string[] = []
    bounds.makeRoom(sessions, 'b', closer(sessions, closed))
    expect(closed).toEqual(['b1'])
    expect(bounds.whyClosed('b1')).toMatch(/its source \(b\) opened more than 3 sessions/)
    expect(bounds.whyClosed('victim')).toBeUndefined()
  })

  it('when full, the source holding the most sessions gives one up', () => {
    const bounds = createSessionBounds({ maxPerSource: 10, maxSessions: 4 })
    const sessions = fill([
      ['a1', { lastSeen: 1, source: 'a' }],
      ['b1', { lastSeen: 2, source: 'b' }],
      ['b2', { lastSeen: 3, source: 'b' }],
      ['b3', { lastSeen: 4, source: 'b' }],
    ])
    const closed: string[] = []
    bounds.makeRoom(sessions, 'c', closer(sessions, closed))
    expect(closed).toEqual(['b1'])
    expect(bounds.whyClosed('b1')).toMatch(/at most 4 sessions/)
  })
})

for (const transport of ['http', 'stdio'] as const) {
  describe(`gateway sessions are capped per source through the Workbench (${transport} upstream)`, () => {
    let upstream: RunningUpstream | null = null
    let fx: Fixture
    const from = (ip: string, session?: string) => ({
      'x-forwarded-for': ip,
      ...(session ? { 'mcp-session-id': session } : {}),
    })
    const open = async (ip: string) => {
      const reply = await rawPost(fx.workbench.mcpUrl(), RAW_INITIALIZE, from(ip))
      expect(reply.status).toBe(200)
      return reply.headers.get('mcp-session-id')!
    }
    const use = (ip: string, session: string) =>
      rawPost(fx.workbench.mcpUrl(), PING, from(ip, session))

    beforeAll(async () => {
      if (transport === 'http') upstream = await startHttpUpstream('recording')
      const target: NonNullable<Upstream> = upstream
        ? { url: upstream.url }
        : { command: process.execPath, args: [RECORDING_SERVER, '--stdio'], env: {} }
      fx = await startWorkbench(
        { upstream: target, auth: { issuer: 'off' } },
        { sessionLimits: { maxPerSource: 3, maxSessions: 6 } },
      )
      await eventually(() => fx.workbench.status().gateway?.state === 'ready')
    })
    afterAll(async () => {
      await fx?.close()
      await upstream?.stop()
    })

    let alice = ''
    const flood: string[] = []

    it('one source flooding initializes loses only its own oldest sessions, with a clear 404', async () => {
      alice = await open('198.51.100.1')
      for (let i = 0; i < 10; i++) flood.push(await open('203.0.113.66'))
      expect((await use('198.51.100.1', alice)).status).toBe(200)
      for (const kept of flood.slice(-3)) expect((await use('203.0.113.66', kept)).status).toBe(200)
      // Overview counts the gateway's sessions: alice's and the flood's last three.
      expect(fx.workbench.status().sessions).toBe(4)
      const gone = await use('203.0.113.66', flood[0])
      expect(gone.status).toBe(404)
      expect((gone.messages[0].error as { message: string }).message).toMatch(
        /^Session not found \(closed because its source \(203\.0\.113\.66\) opened more than 3 sessions.*\): initialize a new session$/,
      )
    })

    it('when the gateway is full, the source holding the most sessions gives one up', async () => {
      // alice 1 and the flood 3; two more sources fill the gateway to its 6, a third needs room.
      const bob = await open('198.51.100.2')
      const carol = await open('198.51.100.3')
      const dave = await open('198.51.100.4')
      for (const [ip, id] of [
        ['198.51.100.1', alice],
        ['198.51.100.2', bob],
        ['198.51.100.3', carol],
        ['198.51.100.4', dave],
      ])
        expect((await use(ip, id)).status).toBe(200)
      // The flood's stalest (used first above) went; its other two stay.
      const gone = await use('203.0.113.66', flood[7])
      expect(gone.status).toBe(404)
      expect((gone.messages[0].error as { message: string }).message).toMatch(/at most 6 sessions/)
      for (const kept of flood.slice(-2)) expect((await use('203.0.113.66', kept)).status).toBe(200)
      expect(fx.workbench.status().sessions).toBe(6)
    })
  })
}
