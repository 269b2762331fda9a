import type { WidgetCallResult } from '../../shared/contract'
import type { Workbench } from '../core'
import { PreviewRefusedError, identityKey } from './previewSessions'
import { previewSessionsOf } from './previewSessionsOf'
import { sendingTrace } from './previewTrace'

export interface ResolvedIdentity {
  /** Bearer token to send; null for anonymous. */
  token: string | null
  label: string
  /** Which Preview session the call uses (one per identity); derived from the token when absent. */
  key?: string
}

export function sessionKeyOf(identity: ResolvedIdentity): string {
  return (
    identity.key ??
    identityKey(identity.token ? { kind: 'token', token: identity.token } : { kind: 'anonymous' })
  )
}

/**
 * Calls a widget through the real server over loopback, as a client would, on the identity's Preview session, so
 * the call shows in Requests as one row. A token refused at HTTP level comes back as `httpError` with the
 * challenge, not as an exception.
 */
export async function callWidgetAs(
  workbench: Workbench,
  name: string,
  args: Record<string, unknown>,
  identity: ResolvedIdentity,
  options: { signal?: AbortSignal } = {},
): Promise<WidgetCallResult> {
  const trace = workbench.log.trace()
  const sessions = previewSessionsOf(workbench)
  const controller = new AbortController()
  options.signal?.addEventListener('abort', () => controller.abort(options.signal?.reason), {
    once: true,
  })
  const untrack = trackCall(workbench, controller)
  try {
    const result = await sendingTrace(trace, () =>
      sessions.run(sessionKeyOf(identity), identity.token, (session) =>
        session.client.callTool({ name, arguments: args }, { signal: controller.signal }),
      ),
    )
    const event = await trace.event((e) => e.rpcMethod === 'tools/call' && e.tool === name)
    return {
      result: result as WidgetCallResult['result'],
      httpError: null,
      eventId: event?.id ?? null,
      identityLabel: identity.label,
    }
  } catch (err) {
    if (!(err instanceof PreviewRefusedError)) throw err
    const { refusal } = err
    const event = await trace.event((e) => e.status === refusal.status)
    return {
      result: { isError: true, content: [{ type: 'text', text: `HTTP ${refusal.status}` }] },
      httpError: refusal,
      eventId: event?.id ?? null,
      identityLabel: identity.label,
    }
  } finally {
    untrack()
    trace.close()
  }
}

const inFlight = new WeakMap<Workbench, Set<AbortController>>()

function trackCall(workbench: Workbench, controller: AbortController): () => void {
  let calls = inFlight.get(workbench)
  if (!calls) inFlight.set(workbench, (calls = new Set()))
  calls.add(controller)
  return () => calls.delete(controller)
}

/**
 * Cancels Preview's calls in flight: the SDK sends `notifications/cancelled`, the handler's signal aborts, and
 * the caller gets an error. Returns how many were cancelled.
 */
export function cancelPreviewCalls(workbench: Workbench, reason = 'Cancelled in Preview'): number {
  const calls = [...(inFlight.get(workbench) ?? [])]
  for (const controller of calls) controller.abort(new Error(reason))
  return calls.length
}
