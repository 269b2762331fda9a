import { openClientSink, replyJson } from './clientSink'
import { asModernResult } from './modernEra'
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
import { legRecorder } from './relayLeg'
import type { PendingTable } from './stdioPending'
import {
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
): Promise<UpstreamLeg> {
  const { options, pending, write } = deps
  const { label } = options
  const started = performance.now()
  const headers: Record<string, string> = sessionId ? { 'mcp-session-id': sessionId } : {}
  const leg = legRecorder(call, label, started)
  try {
    await deps.whenReady()
  } catch (err) {
    const cause = err instanceof UpstreamFailure ? err.reason : String(err)
    const failed = leg(null, cause)
    replyJson(call.res, 200, failureReply(message, label, cause), headers)
    return failed
  }
  const id = pending.nextId()
  const params = paramsOf(message)
  const meta = metaOf(params)
  const progressToken = meta?.progressToken
  let outgoing = withIdentity({ ...message, id }, call.identity)
  if (progressToken !== undefined) {
    const p = paramsOf(outgoing)
    outgoing = { ...outgoing, params: { ...p, _meta: { ...metaOf(p), progressToken: id } } }
  }
  const sink = openClientSink(call.res, call.req.headers.accept, headers)
  const cancel = (reason: string) => {
    if (!deps.running()) return
    write({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason } })
  }
  return new Promise<UpstreamLeg>((resolve) => {
    const timer = setTimeout(() => {
      pending.delete(id)
      const cause = `no answer to ${message.method} within ${options.timeoutMs()} ms`
      cancel('timed out at the Workbench')
      const failed = leg(null, cause)
      sink.send(failureReply(message, label, cause))
      sink.end()
      resolve(failed)
    }, options.timeoutMs())
    pending.set(id, {
      method: message.method,
      sessionId,
      clientId: message.id,
      progressToken,
      sink,
      modern: isModernMessage(message),
      started,
      timer,
      settle(answer, failure) {
        clearTimeout(timer)
        if (!answer) {
          const failed = leg(null, failure)
          sink.send(failureReply(message, label, failure ?? 'no answer'))
          sink.end()
          return resolve(failed)
        }
        let result = answer.result as Record<string, unknown> | undefined
        if (message.method === 'tools/list' && result) result = options.rewriteToolsList(result)
        if (result && isModernMessage(message))
          result = asModernResult(message.method, result, deps.serverInfo?.())
        const done = leg(null, null, upstreamErrorOf(answer), { ...answer, id: message.id })
        sink.send({ ...answer, id: message.id, ...(result ? { result } : {}) })
        sink.end()
        resolve(done)
      },
    })
    call.res.on('close', () => {
      if (!pending.has(id)) return
      pending.delete(id)
      clearTimeout(timer)
      cancel('the client went away')
      resolve(leg(null, 'the client went away before the answer'))
    })
    write(outgoing)
  })
}
