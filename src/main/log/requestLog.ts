import type { RequestEvent } from '../../shared/events'

export type RequestEventInput = Omit<RequestEvent, 'id'>
export type RequestLogListener = (event: RequestEvent) => void

export interface RequestLog {
  append(event: RequestEventInput): RequestEvent
  /** The buffered events, oldest first. */
  snapshot(): RequestEvent[]
  subscribe(listener: RequestLogListener): () => void
  clear(): void
  readonly capacity: number
}

export interface RequestLogOptions {
  /** Events kept; the oldest are dropped past it. Default 10,000. */
  capacity?: number
}

/** A bounded ring buffer of request events with a subscribe API. */
export function createRequestLog(options: RequestLogOptions = {}): RequestLog {
  const capacity = options.capacity ?? 10_000
  const ring: (RequestEvent | undefined)[] = new Array(capacity)
  let next = 0
  let size = 0
  let nextId = 1
  const listeners = new Set<RequestLogListener>()
  return {
    capacity,
    append(input) {
      const event: RequestEvent = { id: nextId++, ...input }
      ring[next] = event
      next = (next + 1) % capacity
      size = Math.min(size + 1, capacity)
      for (const listener of listeners) {
        try {
          listener(event)
        } catch {
          // A broken subscriber must not take the request path down.
        }
      }
      return event
    },
    snapshot() {
      const out: RequestEvent[] = []
      const start = (next - size + capacity) % capacity
      for (let i = 0; i < size; i++) out.push(ring[(start + i) % capacity] as RequestEvent)
      return out
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    clear() {
      ring.fill(undefined)
      next = 0
      size = 0
    },
  }
}
