import type { JSONRPCMessage } from '@modelcontextprotocol/client'
import type { PreviewRpcResult } from '../../shared/contract'
import type { Workbench } from '../core'
import { sessionKeyOf, type ResolvedIdentity } from './callWidgetAs'
import { PreviewRefusedError } from './previewSessions'
import { previewSessionsOf } from './previewSessionsOf'
import { sendingTrace } from './previewTrace'

let sequence = 0

/**
 * Sends any JSON-RPC method as is on the identity's Preview session and returns the server's raw reply: the raw
 * console, and the view's pass-through requests (`resources/read`, `resources/list`, `tools/list`).
 * A `notifications/…` method is sent as a notification (no reply).
 */
export async function sendPreviewRequest(
  workbench: Workbench,
  method: string,
  params: Record<string, unknown> | undefined,
  identity: ResolvedIdentity,
): Promise<PreviewRpcResult> {
  const trace = workbench.log.trace()
  const notification = method.startsWith('notifications/')
  const request = {
    jsonrpc: '2.0',
    ...(notification ? {} : { id: `preview-${++sequence}` }),
    method,
    ...(params ? { params } : {}),
  } as JSONRPCMessage
  const started = Date.now()
  const done = async (
    reply: unknown,
    httpError: PreviewRpcResult['httpError'],
  ): Promise<PreviewRpcResult> => {
    const elapsedMs = Date.now() - started
    const event = await trace.event((e) => e.rpcMethod === method)
    return {
      request,
      reply,
      httpError,
      eventId: event?.id ?? null,
      identityLabel: identity.label,
      elapsedMs,
    }
  }
  try {
    const sessions = previewSessionsOf(workbench)
    const reply = await sendingTrace(trace, () =>
      sessions.run(sessionKeyOf(identity), identity.token, (session) =>
        session.exchange(request, { signal: AbortSignal.timeout(30_000) }),
      ),
    )
    return await done(reply, null)
  } catch (err) {
    if (err instanceof PreviewRefusedError) return await done(null, err.refusal)
    throw err
  } finally {
    trace.close()
  }
}
