import type { ClientSink } from './clientSink'
import type { JsonRpcId, JsonRpcMessage } from './jsonRpcShapes'
import { excerptOf } from './stdioFraming'
import { UpstreamFailure, type RelayCall, type UpstreamLeg } from './upstreamRelay'

export interface Pending {
  method: string
  sessionId: string | null
  clientId: JsonRpcId | null
  progressToken: unknown
  sink: ClientSink | null
  /** The client speaks 2026-07-28: no server-to-client requests on its stream. */
  modern?: boolean
  /** The log level a 2026-07-28 request asked to hear: the child's log messages reach its stream. */
  logLevel?: string
  started: number
  /** `performance.now()` past which the request has timed out. */
  deadline: number
  /** The deadline passed (the entry has left the table). */
  expire(): void
  settle(message: JsonRpcMessage | null, failure: string | null): void
  /** Answers the waiting 2026-07-28 client with an input-required result; the child keeps working. */
  suspend?(result: Record<string, unknown>): void
  /** The client's retry of that result waits for the answer from here on. */
  resume?(
    call: RelayCall,
    message: JsonRpcMessage & { id: JsonRpcId; method: string },
    sessionId: string | null,
  ): Promise<UpstreamLeg>
}

/**
 * The requests in flight to a stdio child, under the Workbench's own ids (`wb-N`): many clients share the
 * child, so their ids and progress tokens are renamed on the way in and restored on the way out.
 */
export function createPendingTable(label: string, timeoutMs: () => number) {
  const pending = new Map<string, Pending>()
  let nextId = 1
  let malformed: { at: number; line: string } | null = null
  // One sweep for every deadline (not a timer per request), running while requests are in flight.
  let sweeper: NodeJS.Timeout | null = null
  const sweep = () => {
    if (!pending.size) return stop()
    const now = performance.now()
    for (const [id, p] of pending)
      if (p.deadline <= now) {
        pending.delete(id)
        p.expire()
      }
  }
  function stop(): void {
    if (sweeper) clearInterval(sweeper)
    sweeper = null
  }
  const deadline = () => performance.now() + timeoutMs()
  const set = (id: string, entry: Pending): void => {
    pending.set(id, entry)
    if (sweeper) return
    sweeper = setInterval(sweep, Math.min(1000, Math.max(10, timeoutMs() / 20)))
    sweeper.unref()
  }

  return {
    nextId: (prefix = 'wb-') => `${prefix}${nextId++}`,
    /** The deadline of a request sent now. */
    deadline,
    get: (id: string) => pending.get(id),
    has: (id: string) => pending.has(id),
    set,
    delete: (id: string) => pending.delete(id),
    /** Stops the sweep (the relay is closing). */
    stop,
    values: () => pending.values(),
    entries: () => pending.entries(),

    /** Our id for a client's request, to forward its cancellation. */
    idOf(sessionId: string | null, clientId: unknown): string | undefined {
      return [...pending.entries()].find(
        ([, p]) => p.sessionId === sessionId && p.clientId === clientId,
      )?.[0]
    },

    /** Settles the request a child's response answers; false when no request has its id. */
    answer(message: JsonRpcMessage & { id: JsonRpcId }): boolean {
      const p = pending.get(String(message.id))
      if (!p) return false
      pending.delete(String(message.id))
      p.settle(message, null)
      return true
    },

    /** Fails the request `id` names, if it is in flight; false when none is. */
    fail(id: string, cause: string): boolean {
      const p = pending.get(id)
      if (!p) return false
      pending.delete(id)
      p.settle(null, cause)
      return true
    },

    /** Remembers a line the child wrote that answered nothing, to name it in the timeouts it causes. */
    noteMalformed(line: string): void {
      malformed = { at: performance.now(), line: excerptOf(line) }
    },

    /** What to add to a timeout's cause: the malformed line written since `started`, if any. */
    malformedSince(started: number): string {
      if (!malformed || malformed.at < started) return ''
      return `; meanwhile it wrote a line that is not JSON-RPC: ${malformed.line}`
    },

    /** Fails every request in flight (the child exited). */
    failAll(cause: string): void {
      for (const [id, p] of pending) {
        pending.delete(id)
        p.settle(null, `${cause} while handling ${p.method}`)
      }
    },

    /** Sends one of the Workbench's own requests and waits for the child's answer. */
    control(
      write: (message: JsonRpcMessage) => void,
      method: string,
      params?: Record<string, unknown>,
    ): Promise<JsonRpcMessage> {
      return new Promise((resolve, reject) => {
        const id = `wb-${nextId++}`
        set(id, {
          method,
          sessionId: null,
          clientId: null,
          progressToken: undefined,
          sink: null,
          started: performance.now(),
          deadline: deadline(),
          expire: () =>
            reject(new UpstreamFailure(label, `no answer to ${method} within ${timeoutMs()} ms`)),
          settle: (message, failure) =>
            message ? resolve(message) : reject(new UpstreamFailure(label, failure ?? 'no answer')),
        })
        try {
          write({ jsonrpc: '2.0', id, method, ...(params ? { params } : {}) })
        } catch (err) {
          pending.delete(id)
          reject(err as Error)
        }
      })
    },
  }
}

export type PendingTable = ReturnType<typeof createPendingTable>
