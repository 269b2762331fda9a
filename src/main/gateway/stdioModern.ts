import { replyJson } from './clientSink'
import { failureReply, paramsOf, type JsonRpcId, type JsonRpcMessage } from './jsonRpcShapes'
import { discoverFromInitialize, logLevelAllows } from './modernEra'
import { createModernListeners, type ModernListeners } from './modernListeners'
import { legRecorder } from './relayLeg'
import { createInputRequiredBridge } from './stdioInputRequired'
import type { PendingTable } from './stdioPending'
import { UpstreamFailure, type RelayCall, type UpstreamLeg } from './upstreamRelay'

/** 2026-07-28 requests the child (initialized in the 2025 era) cannot answer: the Workbench answers them. */
const ANSWERED_HERE = new Set(['server/discover', 'subscriptions/listen'])

/**
 * What a stdio upstream's 2026-07-28 clients need of the gateway: `server/discover` and `subscriptions/listen`
 * answered here, the child's list changes on listen streams, its log messages on the requests that asked.
 */
export function createStdioModern(deps: {
  label: string
  pending: PendingTable
  whenReady(): Promise<Record<string, unknown>>
  write(message: JsonRpcMessage): void
  generation(): number
  /** Where listen streams are kept (the gateway publishes its own tools/list changes there). */
  listeners?: ModernListeners
}) {
  const listeners = deps.listeners ?? createModernListeners()
  const inputRequired = createInputRequiredBridge(deps)

  /** Answers a request in {@link ANSWERED_HERE}; the leg only when the child was not ready. */
  async function answer(
    call: RelayCall,
    message: JsonRpcMessage & { id: JsonRpcId; method: string },
  ): Promise<UpstreamLeg | null> {
    const init = await deps.whenReady().catch((err: Error) => err)
    if (init instanceof Error) {
      const cause = init instanceof UpstreamFailure ? init.reason : init.message
      const failed = legRecorder(call, deps.label, performance.now())(null, cause)
      replyJson(call.res, 200, failureReply(message, deps.label, cause))
      return failed
    }
    if (message.method === 'server/discover')
      replyJson(call.res, 200, discoverFromInitialize(message.id, init))
    else listeners.open(call.res, message, (key) => listChangedDeclared(init, key))
    return null
  }

  return {
    inputRequired,

    /**
     * The leg of a request handled here rather than relayed as is: discover and listen, or the retry that
     * answers an input-required result; null for every other request.
     */
    handle(
      call: RelayCall,
      message: JsonRpcMessage & { id: JsonRpcId; method: string },
      sessionId: string | null,
    ): Promise<UpstreamLeg | null> | null {
      if (ANSWERED_HERE.has(message.method)) return answer(call, message)
      return inputRequired.resume(call, message, sessionId)
    },

    /** A notification from the child: list changes to listen streams, log messages to requests that asked. */
    fromChild(message: JsonRpcMessage & { method: string }): void {
      if (message.method !== 'notifications/message') return listeners.publish(message.method)
      // stdio does not say which request a log message belongs to: every 2026-07-28 request in flight that
      // asked for that level hears it (as every 2025 session's GET stream does).
      const level = paramsOf(message).level
      for (const p of deps.pending.values())
        if (p.logLevel && p.sink?.sse && logLevelAllows(p.logLevel, level)) p.sink.send(message)
    },
  }
}

/** Tools changes are always heard (modes change here); prompts and resources when the child sends them. */
function listChangedDeclared(init: Record<string, unknown>, filterKey: string): boolean {
  if (filterKey === 'toolsListChanged') return true
  const kind = { promptsListChanged: 'prompts', resourcesListChanged: 'resources' }[filterKey]
  const capabilities = (init.capabilities ?? {}) as Record<string, { listChanged?: unknown }>
  return kind !== undefined && capabilities[kind]?.listChanged === true
}
