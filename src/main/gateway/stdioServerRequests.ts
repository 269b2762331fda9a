import type { ClientSink } from './clientSink'
import {
  errorResponse,
  isResponse,
  paramsOf,
  type JsonRpcId,
  type JsonRpcMessage,
} from './jsonRpcShapes'
import type { InputRequiredBridge } from './stdioInputRequired'
import type { PendingTable } from './stdioPending'

export interface ServerRequestDeps {
  pending: PendingTable
  write(message: JsonRpcMessage): void
  /** The child's current run: answers meant for an earlier run are dropped. */
  generation(): number
  /** Every open GET stream of every client session. */
  clientStreams(): ClientSink[]
  /** Turns a request for a 2026-07-28 client into an input-required result. */
  inputRequired: InputRequiredBridge
}

/**
 * The child's requests to a client (sampling, elicitation, roots) go out under Workbench ids, and the client's
 * answers and cancellations come back under the child's ids.
 */
export function createServerRequestRouter(deps: ServerRequestDeps) {
  const { pending, write } = deps
  const serverRequests = new Map<string, { childId: JsonRpcId; generation: number }>()

  return {
    /** Sends a request from the child to the client most likely to answer it. */
    route(message: JsonRpcMessage & { id: JsonRpcId; method: string }): void {
      if (message.method === 'ping') return write({ jsonrpc: '2.0', id: message.id, result: {} })
      const [pendingId, inFlight] =
        [...pending.entries()]
          .reverse()
          .find(([, p]) => p.sink && !p.sink.closed && (p.sink.sse || p.modern)) ?? []
      if (pendingId && inFlight?.modern)
        return deps.inputRequired.park(pendingId, inFlight, message)
      const stream = inFlight?.sink ?? deps.clientStreams().find((s) => !s.closed)
      if (!stream) {
        return write(
          errorResponse(
            message.id,
            -32603,
            `No client connected through the Workbench can answer ${message.method}`,
          ),
        )
      }
      const id = pending.nextId('wb-s')
      serverRequests.set(id, { childId: message.id, generation: deps.generation() })
      stream.send({ ...message, id })
    },

    /** Forwards a client's response or notification to the child. */
    forward(message: JsonRpcMessage, sessionId: string | null): void {
      if (isResponse(message)) {
        const mapped = serverRequests.get(String(message.id))
        if (!mapped || mapped.generation !== deps.generation()) return
        serverRequests.delete(String(message.id))
        return write({ ...message, id: mapped.childId })
      }
      if (message.method === 'notifications/initialized') return
      if (message.method === 'notifications/cancelled') {
        const params = paramsOf(message)
        const target = pending.idOf(sessionId, params.requestId)
        if (target) write({ ...message, params: { ...params, requestId: target } })
        return
      }
      write(message)
    },
  }
}
