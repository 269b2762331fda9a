import { describe, expect, it } from 'vitest'
import {
  filterEvents,
  neighbourRowId,
  selectSelectedEvent,
  selectToolOptions,
  selectVisibleRows,
} from '../../../src/renderer/src/store/logSelectors'
import type { LogFilter } from '../../../src/renderer/src/store/types'
import { appState, requestEvent } from '../fixtures'

const all: LogFilter = { text: '', verdict: 'all', tool: 'all' }
const alice = { subject: 'dev|alice', clientId: null, scopes: ['user'], name: 'Alice Admin' }
const events = [
  requestEvent({ rpcMethod: 'initialize', tool: null }),
  requestEvent({ tool: 'protected-widget', verdict: 'challenged' }),
  requestEvent({ tool: 'protected-widget', verdict: 'allowed', identity: alice }),
  requestEvent({
    tool: 'public-widget',
    verdict: 'invalid_token',
    status: 401,
    reason: 'token expired',
  }),
]

describe('log selectors', () => {
  it('filters by verdict, by tool and by text together', () => {
    expect(filterEvents(events, { ...all, verdict: 'challenged' }).map((e) => e.id)).toEqual([
      events[1].id,
    ])
    expect(filterEvents(events, { ...all, tool: 'protected-widget' })).toHaveLength(2)
    expect(filterEvents(events, { ...all, text: 'ALICE' }).map((e) => e.id)).toEqual([events[2].id])
    expect(filterEvents(events, { ...all, text: 'expired' }).map((e) => e.id)).toEqual([
      events[3].id,
    ])
    expect(filterEvents(events, { ...all, text: '401' }).map((e) => e.id)).toEqual([events[3].id])
    expect(filterEvents(events, { text: 'alice', verdict: 'challenged', tool: 'all' })).toEqual([])
  })

  it('filters by protocol era', () => {
    const legacy = requestEvent({
      rpcMethod: 'initialize',
      protocol: { era: 'legacy', version: '2025-11-25' },
    })
    const modern = requestEvent({
      rpcMethod: 'server/discover',
      protocol: { era: 'modern', version: '2026-07-28' },
    })
    const mixed = [...events, legacy, modern]
    expect(filterEvents(mixed, { ...all, era: 'modern' }).map((e) => e.id)).toEqual([modern.id])
    expect(filterEvents(mixed, { ...all, era: 'legacy' }).map((e) => e.id)).toEqual([legacy.id])
    expect(filterEvents(mixed, { ...all, text: '2026-07' }).map((e) => e.id)).toEqual([modern.id])
  })

  it('returns the same array while neither the log nor the filter changed', () => {
    const filter = { ...all, tool: 'protected-widget' }
    const a = selectVisibleRows({ events, filter })
    expect(selectVisibleRows({ events, filter })).toBe(a)
    expect(selectVisibleRows({ events: [...events], filter })).not.toBe(a)
  })

  it('filters 10,000 rows without copying when no filter is set', () => {
    const many = Array.from({ length: 10_000 }, () => requestEvent())
    expect(filterEvents(many, all)).toBe(many)
    expect(filterEvents(many, { ...all, text: 'nothing-matches' })).toEqual([])
  })

  it('finds the selected event and steps between rows', () => {
    expect(selectSelectedEvent({ events, selectedEventId: events[2].id })?.id).toBe(events[2].id)
    expect(selectSelectedEvent({ events, selectedEventId: -1 })).toBeNull()
    expect(neighbourRowId(events, null, 1)).toBe(events[0].id)
    expect(neighbourRowId(events, events[1].id, 1)).toBe(events[2].id)
    expect(neighbourRowId(events, events[0].id, -1)).toBeNull()
  })

  it('offers every served widget and every logged tool in the tool filter', () => {
    expect(selectToolOptions({ events, app: appState() })).toEqual([
      'protected-widget',
      'public-widget',
    ])
  })
})
