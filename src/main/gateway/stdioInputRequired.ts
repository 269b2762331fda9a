import { randomUUID } from 'node:crypto'
import { errorResponse, paramsOf, type JsonRpcId, type JsonRpcMessage } from './jsonRpcShapes'
import type { Pending, PendingTable } from './stdioPending'
import type { RelayCall, UpstreamLeg } from './upstreamRelay'

interface Parked {
  pendingId: string
  childId: JsonRpcId
  generation: number
}

const INPUT_KEY = 'upstream'
const MAX_PARKED = 1000

/**
 * MCP 2026-07-28 has no server-to-client requests: a client asks again with the answers instead. The stdio
 * child speaks 2025, so its request (elicitation, sampling, roots) is turned into an input-required result for
 * the waiting 2026-07-28 client, while the child keeps working; the client's retry, naming the
 * `requestState`, carries the answer back to the child and then waits for the child's final answer.
 */
export function createInputRequiredBridge(deps: {
  pending: PendingTable
  write(message: JsonRpcMessage): void
  generation(): number
}) {
  const parked = new Map<string, Parked>()

  return {
    /** Answers the in-flight request `pendingId` with an input-required result carrying the child's request. */
    park(pendingId: string, entry: Pending, request: JsonRpcMessage & { id: JsonRpcId }): void {
      const state = randomUUID()
      if (parked.size >= MAX_PARKED) parked.delete(parked.keys().next().value!)
      parked.set(state, { pendingId, childId: request.id, generation: deps.generation() })
      entry.suspend?.({
        resultType: 'input_required',
        inputRequests: { [INPUT_KEY]: { method: request.method, params: request.params ?? {} } },
        requestState: state,
      })
    },

    /** The waiting leg of a client's retry that answers a parked request; null for any other request. */
    resume(
      call: RelayCall,
      message: JsonRpcMessage & { id: JsonRpcId; method: string },
      sessionId: string | null,
    ): Promise<UpstreamLeg> | null {
      const params = paramsOf(message)
      const found = typeof params.requestState === 'string' && parked.get(params.requestState)
      if (!found) return null
      parked.delete(params.requestState as string)
      const entry = deps.pending.get(found.pendingId)
      if (!entry?.resume || entry.method !== message.method) return null
      if (found.generation !== deps.generation()) return null
      const responses = params.inputResponses as Record<string, unknown> | undefined
      const answer = responses?.[INPUT_KEY]
      deps.write(
        answer && typeof answer === 'object'
          ? { jsonrpc: '2.0', id: found.childId, result: answer }
          : errorResponse(found.childId, -32602, 'The client retried without an answer'),
      )
      return entry.resume(call, message, sessionId)
    },
  }
}

export type InputRequiredBridge = ReturnType<typeof createInputRequiredBridge>
