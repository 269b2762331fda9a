import { openClientSink, replyJson, type ClientSink } from './clientSink'
import { asModernResult, requestedLogLevel } from './modernEra'
import {
  failureReply,
  isModernMessage,
  metaOf,
  paramsOf,
  upstreamErrorOf,
  withIdentity,
  type JsonRpcId,
  type JsonRpcMessage,
} from './jsonRpcShapes'
import { legRecorder, type RecordLeg } from './relayLeg'
import type { Pending, PendingTable } from './stdioPending'
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
  /** Resolves once the child is initialized, or fails naming why it is not. */
  whenReady(): Promise<unknown>
  /** The child is initialized now (false while it starts or restarts). */
  isReady(): boolean
  write(message: JsonRpcMessage): void
  running(): boolean
  /** The child's serverInfo, stamped on results to 2026-07-28 requests. */
  serverInfo?(): unknown
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
): Promise<UpstreamLeg | null> {
  const { options, pending, write } = deps
  const { label } = options
  const started = performance.now()
  const headers: Record<string, string> = sessionId ? { 'mcp-session-id': sessionId } : {}
  const leg = legRecorder(call, label, started)
  const restarting = !deps.isReady()
  try {
    await deps.whenReady()
  } catch (err) {
    const cause = err instanceof UpstreamFailure ? err.reason : String(err)
    const failed = leg(null, cause)
    replyJson(call.res, 200, failureReply(message, label, cause), headers)
    return failed
  }
  // The child (re)started while the call waited, maybe with new code: decided again on what it declares now.
  if (restarting && call.stillAllowed && !(await call.stillAllowed())) return null
  const id = pending.nextId()
  const meta = metaOf(paramsOf(message))
  const progressToken = meta?.progressToken
  // A copy under our id (the client's message stays as the log keeps it).
  const outgoing = withIdentity(message, call.identity, id)
  if (progressToken !== undefined) {
    const p = paramsOf(outgoing)
    outgoing.params = { ...p, _meta: { ...metaOf(p), progressToken: id } }
  }
  const cancel = (reason: string) => {
    if (!deps.running()) return
    write({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason } })
  }
  // The client waiting for the answer; a 2026-07-28 client's retry of an input-required result takes over.
  let waiter = waitFor(call, message, headers, leg)
  const watch = (w: Waiter) =>
    w.call.res.on('close', () => {
      if (waiter !== w || w.answered || !pending.has(id)) return
      pending.delete(id)
      cancel('the client went away')
      w.resolve(w.leg(null, CLIENT_WENT_AWAY))
    })
  const entry: Pending = {
    method: message.method,
    sessionId,
    clientId: message.id,
    progressToken,
    sink: waiter.sink,
    modern: isModernMessage(message),
    logLevel: requestedLogLevel(meta),
    started,
    deadline: pending.deadline(),
    expire() {
      const cause = `no answer to ${message.method} within ${options.timeoutMs()} ms${pending.malformedSince(started)}`
      cancel('timed out at the Workbench')
      finish(waiter, failureReply(waiter.message, label, cause), cause)
    },
    settle(answer, failure) {
      const m = waiter.message
      if (!answer) return finish(waiter, failureReply(m, label, failure ?? 'no answer'), failure)
      // The child's answer (decoded here, ours to change) under the client's id: the log keeps it as is.
      answer.id = m.id
      let result = answer.result as Record<string, unknown> | undefined
      if (m.method === 'tools/list' && result) result = options.rewriteToolsList(result)
      if (result && isModernMessage(m))
        result = asModernResult(m.method, result, deps.serverInfo?.())
      finish(waiter, result === answer.result ? answer : { ...answer, result }, null, answer)
    },
    suspend(result) {
      entry.sink = null
      finish(waiter, { jsonrpc: '2.0', id: waiter.message.id, result }, null)
    },
    resume(next, nextMessage, nextSession) {
      const nextHeaders: Record<string, string> = nextSession
        ? { 'mcp-session-id': nextSession }
        : {}
      waiter = waitFor(next, nextMessage, nextHeaders, legRecorder(next, label, performance.now()))
      Object.assign(entry, {
        sink: waiter.sink,
        clientId: nextMessage.id,
        sessionId: nextSession,
        progressToken: metaOf(paramsOf(nextMessage))?.progressToken,
      })
      watch(waiter)
      return waiter.done
    },
  }
  pending.set(id, entry)
  watch(waiter)
  write(outgoing)
  return waiter.done
}

interface Waiter {
  call: RelayCall
  message: JsonRpcMessage & { id: JsonRpcId; method: string }
  sink: ClientSink
  leg: RecordLeg
  resolve(leg: UpstreamLeg): void
  done: Promise<UpstreamLeg>
  /** Its answer was sent (an input-required result, when the request goes on). */
  answered: boolean
}

function waitFor(
  call: RelayCall,
  message: Waiter['message'],
  headers: Record<string, string>,
  leg: RecordLeg,
): Waiter {
  let resolve!: (leg: UpstreamLeg) => void
  const done = new Promise<UpstreamLeg>((r) => (resolve = r))
  const sink = openClientSink(call.res, call.req.headers.accept, headers)
  return { call, message, sink, leg, resolve, done, answered: false }
}

/** Answers the waiting client (ending its stream) and records the leg with the child's own answer. */
function finish(
  waiter: Waiter,
  reply: JsonRpcMessage,
  failure: string | null,
  answer?: JsonRpcMessage,
): void {
  const recorded = failure
    ? waiter.leg(null, failure)
    : waiter.leg(null, null, answer ? upstreamErrorOf(answer) : null, answer ?? reply)
  waiter.answered = true
  waiter.sink.send(reply, true)
  waiter.sink.end()
  waiter.resolve(recorded)
}
