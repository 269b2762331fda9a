import { describe, expect, it } from 'vitest'
import { createSessionBounds, MAX_GATEWAY_SESSIONS } from '../../src/main/gateway/boundedSessions'

type S = { lastSeen: number; signedIn?: boolean }

describe('gateway sessions when full (issue 8 item 10)', () => {
  it('closes the stalest anonymous session before a signed-in one, however old', () => {
    const sessions = new Map<string, S>([['alice', { lastSeen: 1, signedIn: true }]])
    for (let i = 1; i < MAX_GATEWAY_SESSIONS; i++) sessions.set(`anon${i}`, { lastSeen: 1000 + i })
    const closed: string[] = []
    const close = (id: string) => void (closed.push(id), sessions.delete(id))
    createSessionBounds().makeRoom(sessions, 'new caller', close)
    expect(closed).toEqual(['anon1'])
    sessions.set('anon-new', { lastSeen: 99_999 })
    createSessionBounds().makeRoom(sessions, 'new caller', close)
    expect(closed).toEqual(['anon1', 'anon2'])
    expect(sessions.has('alice')).toBe(true)
  })

  it('closes the stalest signed-in session when every session is signed in', () => {
    const sessions = new Map<string, S>()
    for (let i = 0; i < MAX_GATEWAY_SESSIONS; i++)
      sessions.set(`user${i}`, { lastSeen: 5000 - i, signedIn: true })
    const closed: string[] = []
    createSessionBounds().makeRoom(sessions, 'new caller', (id) => void closed.push(id))
    expect(closed).toEqual([`user${MAX_GATEWAY_SESSIONS - 1}`])
  })
})
