import type { ProtocolEra, RequestEvent, Verdict } from '../../../shared/events'
import type { LogFilter, WorkbenchStore } from './types'

function matchesText(event: RequestEvent, needle: string): boolean {
  if (needle === '') return true
  const hay = [
    event.rpcMethod,
    event.tool,
    event.identity?.subject,
    event.identity?.name,
    event.reason,
    event.path,
    String(event.status),
    event.verdict,
    event.protocol?.version,
  ]
  return hay.some((part) => part != null && part.toLowerCase().includes(needle))
}

/** The events a filter keeps, in order. Pure. */
export function filterEvents(events: readonly RequestEvent[], filter: LogFilter): RequestEvent[] {
  const needle = filter.text.trim().toLowerCase()
  const era = filter.era ?? 'all'
  if (needle === '' && filter.verdict === 'all' && filter.tool === 'all' && era === 'all')
    return events as RequestEvent[]
  return events.filter(
    (e) =>
      (filter.verdict === 'all' || e.verdict === filter.verdict) &&
      (filter.tool === 'all' || e.tool === filter.tool) &&
      (era === 'all' || e.protocol?.era === era) &&
      matchesText(e, needle),
  )
}

let lastEvents: readonly RequestEvent[] | null = null
let lastFilter: LogFilter | null = null
let lastRows: RequestEvent[] = []

/** Visible rows, memoised on the log and filter identities so React sees a stable array. */
export function selectVisibleRows(
  state: Pick<WorkbenchStore, 'events' | 'filter'>,
): RequestEvent[] {
  if (state.events !== lastEvents || state.filter !== lastFilter) {
    lastRows = filterEvents(state.events, state.filter)
    lastEvents = state.events
    lastFilter = state.filter
  }
  return lastRows
}

export function selectSelectedEvent(
  state: Pick<WorkbenchStore, 'events' | 'selectedEventId'>,
): RequestEvent | null {
  if (state.selectedEventId === null) return null
  const events = state.events
  // Ids grow with position, so search from the end where recent selections live.
  for (let i = events.length - 1; i >= 0; i--)
    if (events[i].id === state.selectedEventId) return events[i]
  return null
}

/** Tools seen in the log plus the widgets the server serves, sorted, for the tool filter. */
export function selectToolOptions(state: Pick<WorkbenchStore, 'events' | 'app'>): string[] {
  const tools = new Set<string>(state.app?.widgets.map((w) => w.id) ?? [])
  for (const e of state.events) if (e.tool) tools.add(e.tool)
  return [...tools].sort()
}

export const VERDICTS: Verdict[] = [
  'allowed',
  'anonymous',
  'challenged',
  'insufficient_scope',
  'invalid_token',
  'forbidden',
  'error',
]

/** The verdict in words, for badges and the detail pane. */
export const VERDICT_LABELS: Record<Verdict, string> = {
  allowed: 'allowed',
  anonymous: 'anonymous',
  challenged: 'sign-in required',
  insufficient_scope: 'missing scope',
  invalid_token: 'invalid token',
  forbidden: 'forbidden',
  error: 'error',
}

/** Index of the row to move to with the arrow keys, or null at either end. */
export function neighbourRowId(
  rows: readonly RequestEvent[],
  selectedId: number | null,
  step: 1 | -1,
): number | null {
  if (rows.length === 0) return null
  if (selectedId === null) return step === 1 ? rows[0].id : rows[rows.length - 1].id
  const index = rows.findIndex((r) => r.id === selectedId)
  if (index === -1) return rows[rows.length - 1].id
  const next = rows[index + step]
  return next ? next.id : null
}

/** The era as the Requests screen names it: the protocol revision family a client spoke. */
export const ERA_LABELS: Record<ProtocolEra, string> = { legacy: '2025', modern: '2026' }
