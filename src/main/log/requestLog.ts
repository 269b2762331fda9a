import type { RequestEvent } from '../../shared/events'
import { DEFAULT_RECORD_LIMITS, recordEvent } from './recordEvent'
import { createTraceRegistry, type Trace } from './requestTraces'

export type RequestEventInput = Omit<RequestEvent, 'id'>
export type RequestLogListener = (event: RequestEvent) => void

export interface RequestLog {
  /**
   * Records the event redacted and bounded (see recordEvent) and returns what was kept; `traceId`
   * (the request's `TRACE_HEADER`) hands it to the open trace of that id.
   */
  append(event: RequestEventInput, traceId?: unknown): RequestEvent
  /** Opens a trace: requests sending its id in `TRACE_HEADER` deliver their events to it. */
  trace(): Trace
  /** The buffered events, oldest first. */
  snapshot(): RequestEvent[]
  /** The buffered event of that id, if it is still held. */
  find(id: number): RequestEvent | undefined
  subscribe(listener: RequestLogListener): () => void
  clear(): void
  readonly capacity: number
  /** Approximate bytes held by the buffered events. */
  bytes(): number
}

export interface RequestLogLimits {
  /**
   * Approximate bytes the buffered events may hold; the oldest are dropped past it. Default 64 MiB.
   */
  maxBytes: number
  /** Approximate bytes kept of each request or response body. Default 64 KiB. */
  maxBodyBytes: number
}

export interface RequestLogOptions {
  /** Events kept; the oldest are dropped past it. Default 10,000. */
  capacity?: number
  /** Read at every append, so a config change applies to the next event. */
  limits?: () => Partial<RequestLogLimits>
}

export const DEFAULT_LOG_MAX_BYTES = 64 * 1024 * 1024

/** A ring buffer of request events bounded in count and bytes, with a subscribe API. */
export function createRequestLog(options: RequestLogOptions = {}): RequestLog {
  const capacity = options.capacity ?? 10_000
  const ring: (RequestEvent | undefined)[] = new Array(capacity)
  const sizes = new Float64Array(capacity)
  let next = 0
  let size = 0
  let total = 0
  let nextId = 1
  const listeners = new Set<RequestLogListener>()
  const traces = createTraceRegistry()

  const dropOldest = () => {
    const oldest = (next - size + capacity) % capacity
    total -= sizes[oldest]
    ring[oldest] = undefined
    sizes[oldest] = 0
    size--
  }

  return {
    capacity,
    append(input, traceId) {
      const limits = options.limits?.() ?? {}
      const maxBytes = limits.maxBytes ?? DEFAULT_LOG_MAX_BYTES
      const maxBodyBytes = limits.maxBodyBytes ?? DEFAULT_RECORD_LIMITS.maxBodyBytes
      const recorded = recordEvent(input, { ...DEFAULT_RECORD_LIMITS, maxBodyBytes })
      // The recorded copy is ours alone: it takes its id in place (no second copy per request).
      const event = recorded.event as RequestEvent
      event.id = nextId++
      if (size === capacity) dropOldest()
      ring[next] = event
      sizes[next] = recorded.bytes
      total += recorded.bytes
      next = (next + 1) % capacity
      size++
      while (total > maxBytes && size > 1) dropOldest()
      for (const listener of listeners) {
        try {
          listener(event)
        } catch {
          // A broken subscriber must not take the request path down.
        }
      }
      traces.deliver(traceId, event)
      return event
    },
    trace: () => traces.open(),
    snapshot() {
      const out: RequestEvent[] = []
      const start = (next - size + capacity) % capacity
      for (let i = 0; i < size; i++) out.push(ring[(start + i) % capacity] as RequestEvent)
      return out
    },
    find(id) {
      // Ids are consecutive in the ring, the newest being nextId - 1.
      const back = nextId - 1 - id
      if (!Number.isInteger(back) || back < 0 || back >= size) return undefined
      return ring[(next - 1 - back + capacity) % capacity]
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    clear() {
      ring.fill(undefined)
      sizes.fill(0)
      next = 0
      size = 0
      total = 0
    },
    bytes: () => total,
  }
}
