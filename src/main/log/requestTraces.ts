import { randomUUID } from 'node:crypto'
import type { RequestEvent } from '../../shared/events'

/** The header an in-process caller (Preview) sends to be handed the events its own requests made. */
export const TRACE_HEADER = 'x-workbench-trace'

export interface Trace {
  /** The value to send in `TRACE_HEADER`. */
  readonly id: string
  /** The first event recorded under this trace that `matches`; null if none comes within `timeoutMs`. */
  event(matches: (event: RequestEvent) => boolean, timeoutMs?: number): Promise<RequestEvent | null>
  close(): void
}

export interface TraceRegistry {
  open(): Trace
  /** Hands a recorded event to the open trace its request named (a header value); others are ignored. */
  deliver(traceHeader: unknown, event: RequestEvent): void
}

interface OpenTrace {
  events: RequestEvent[]
  waiters: Set<(event: RequestEvent) => void>
}

/** Open traces kept at most: Preview closes each when its call ends, this bounds a leak. */
const MAX_OPEN = 256

/**
 * Correlates a request with the event recorded for it, so a caller never searches the log for its
 * own row. Trace ids are random: a caller who sends the header without an open trace changes nothing.
 */
export function createTraceRegistry(): TraceRegistry {
  const traces = new Map<string, OpenTrace>()
  return {
    open() {
      if (traces.size >= MAX_OPEN) traces.delete(traces.keys().next().value as string)
      const id = randomUUID()
      const trace: OpenTrace = { events: [], waiters: new Set() }
      traces.set(id, trace)
      return {
        id,
        event(matches, timeoutMs = 5_000) {
          const seen = trace.events.find(matches)
          if (seen) return Promise.resolve(seen)
          return new Promise((resolve) => {
            const waiter = (event: RequestEvent) => {
              if (!matches(event)) return
              finish(event)
            }
            const finish = (event: RequestEvent | null) => {
              clearTimeout(timer)
              trace.waiters.delete(waiter)
              resolve(event)
            }
            const timer = setTimeout(() => finish(null), timeoutMs)
            trace.waiters.add(waiter)
          })
        },
        close: () => void traces.delete(id),
      }
    },
    deliver(traceHeader, event) {
      if (typeof traceHeader !== 'string') return
      const trace = traces.get(traceHeader)
      if (!trace) return
      trace.events.push(event)
      for (const waiter of [...trace.waiters]) waiter(event)
    },
  }
}
