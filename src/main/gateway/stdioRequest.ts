import { openClientSink, replyJson } from './clientSink'
import {
  failureReply,
  metaOf,
  paramsOf,
  upstreamErrorOf,
  withIdentity,
  type JsonRpcId,
  type JsonRpcMessage,
} from './jsonRpcShapes'
import { legRecorder } from './relayLeg'
import type { PendingTable } from './stdioPending'
import {
  CLIENT_WENT_AWAY,
  UpstreamFailure,
  type RelayCall,
  type RelayOptions,
  type UpstreamLeg,
} from './upstreamRelay'

export interface StdioRequestDeps {
  options: RelayOptions
  pending: PendingTable
  /** The child is initialized: no need to wait. */
  isReady(): boolean
  /** Resolves once the child is initialized, or fails naming why it is not. */
  whenReady(): Promise<unknown>
  write(message: JsonRpcMessage): void
  running(): boolean
}

/**
 * Relays one client request to the child under a Workbench id (the progress token renamed with it), and
 * answers the client with its own id when the child does, times out or the client goes away.
 */
export async function relayStdioRequest(
  call: RelayCall,
  message: JsonRpcMessage & { id: JsonRpcId; method: string },
  sessionId: string | null,
  deps: StdioRequestDeps,
): Promise<UpstreamLeg> {
  const { options, pending, write } = deps
  const { label } = options
  const started = performance.now()
  const headers: Record<string, string> = sessionId ? { 'mcp-session-id': sessionId } : {}
  const leg = legRecorder(call, label, started)
  if (!deps.isReady())
    try {
      await deps.whenReady()
    } catch (err) {
      const cause = err instanceof UpstreamFailure ? err.reason : String(err)
      const failed = leg(null, cause)
      replyJson(call.res, 200, failureReply(message, label, cause), headers)
      return failed
    }
  const id = pending.nextId()
  const progressToken = metaOf(paramsOf(message))?.progressToken
  // A copy under our id (the client's message stays as the log keeps it).
  const outgoing = withIdentity(message, call.identity, id)
  if (progressToken !== undefined) {
    const p = paramsOf(outgoing)
    outgoing.params = { ...p, _meta: { ...metaOf(p), progressToken: id } }
  }
  const sink = openClientSink(call.res, call.req.headers.accept, headers)
  const cancel = (reason: string) => {
    if (!deps.running()) return
    write({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason } })
  }
  return new Promise<UpstreamLeg>((resolve) => {
    pending.set(id, {
      method: message.method,
      sessionId,
      clientId: message.id,
      progressToken,
      sink,
      started,
      deadline: pending.deadline(),
      expire() {
        const cause = `no answer to ${message.method} within ${options.timeoutMs()} ms${pending.malformedSince(started)}`
        cancel('timed out at the Workbench')
        const failed = leg(null, cause)
        sink.send(failureReply(message, label, cause), true)
        sink.end()
        resolve(failed)
      },
      settle(answer, failure) {
        if (!answer) {
          const failed = leg(null, failure)
          sink.send(failureReply(message, label, failure ?? 'no answer'), true)
          sink.end()
          return resolve(failed)
        }
        // The child's answer (decoded here, ours to change) under the client's id, for the log and the client.
        answer.id = message.id
        const done = leg(null, null, upstreamErrorOf(answer), answer)
        const result = answer.result as Record<string, unknown> | undefined
        if (message.method === 'tools/list' && result)
          sink.send({ ...answer, result: options.rewriteToolsList(result) }, true)
        else sink.send(answer, true)
        sink.end()
        resolve(done)
      },
    })
    call.res.on('close', () => {
      if (!pending.has(id)) return
      pending.delete(id)
      cancel('the client went away')
      resolve(leg(null, CLIENT_WENT_AWAY))
    })
    write(outgoing)
  })
}
