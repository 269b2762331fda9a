import type { AppState } from '../../../shared/contract'
import type { WorkbenchConfig } from '../../../shared/config'
import type {
  RequestEvent,
  ServerStatus,
  TunnelStatus,
  WidgetLoadError,
  WidgetSummary,
} from '../../../shared/events'
import type { ConnectState } from '../../../shared/issuerTypes'
import { MAX_LOG_ROWS } from './logSlice'
import type { ConnectionState } from './types'
import { advanceMilestones, mergeMilestones } from '../../../shared/milestones'
import { useWorkbench } from './useWorkbench'

/** Appends a batch of log events, keeping the newest {@link MAX_LOG_ROWS}. */
export function ingestRequestEvents(batch: readonly RequestEvent[]): void {
  if (batch.length === 0) return
  useWorkbench.setState((s) => {
    const merged =
      s.events.length + batch.length > MAX_LOG_ROWS
        ? s.events.concat(batch).slice(-MAX_LOG_ROWS)
        : s.events.concat(batch)
    const selectedGone =
      s.selectedEventId !== null && merged.length > 0 && merged[0].id > s.selectedEventId
    return {
      events: merged,
      milestones: advanceMilestones(s.milestones, batch),
      selectedEventId: selectedGone ? null : s.selectedEventId,
    }
  })
}

/** Replaces the log with the main process's snapshot (first load, reconnect). */
export function ingestLogSnapshot(events: readonly RequestEvent[]): void {
  useWorkbench.setState((s) => ({
    events: events.slice(-MAX_LOG_ROWS),
    milestones: advanceMilestones(s.milestones, events),
  }))
}

export function ingestLogCleared(): void {
  useWorkbench.setState({ events: [], selectedEventId: null, follow: true })
}

export function ingestAppState(app: AppState): void {
  useWorkbench.setState((s) => ({
    app,
    milestones: mergeMilestones(s.milestones, app.milestones),
    previewWidgetId: s.previewWidgetId ?? app.widgets[0]?.id ?? null,
  }))
}

function patchApp(patch: Partial<AppState>): void {
  useWorkbench.setState((s) => (s.app ? { app: { ...s.app, ...patch } } : {}))
}

export const ingestStatus = (status: ServerStatus): void => patchApp({ status })
export const ingestConfig = (config: WorkbenchConfig): void => patchApp({ config })
export const ingestTunnel = (tunnel: TunnelStatus): void => patchApp({ tunnel })
export const ingestConnect = (connect: ConnectState): void => patchApp({ connect })
export function ingestWidgets(payload: {
  widgets: WidgetSummary[]
  errors: WidgetLoadError[]
}): void {
  patchApp({ widgets: payload.widgets, widgetErrors: payload.errors })
}

export function ingestConnection(connection: ConnectionState, detail: string | null = null): void {
  useWorkbench.setState({ connection, connectionDetail: detail })
}

/**
 * Coalesces log batches so a burst of events costs one store update per frame.
 * `schedule` is requestAnimationFrame in the app and a manual trigger in tests.
 */
export function createEventBatcher<T>(
  flush: (items: T[]) => void,
  schedule: (run: () => void) => void,
): (items: readonly T[]) => void {
  let pending: T[] = []
  let scheduled = false
  return (items) => {
    if (items.length === 0) return
    for (const item of items) pending.push(item)
    if (scheduled) return
    scheduled = true
    schedule(() => {
      scheduled = false
      const batch = pending
      pending = []
      flush(batch)
    })
  }
}
