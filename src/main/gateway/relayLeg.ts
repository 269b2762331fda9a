import type { JsonRpcMessage } from './jsonRpcShapes'
import type { RelayCall, UpstreamLeg } from './upstreamRelay'

export type RecordLeg = (
  status: number | null,
  error: string | null,
  upstreamError?: string | null,
  answer?: JsonRpcMessage,
) => UpstreamLeg

/** Builds a call's upstream leg, timed from `started`, and tells the call about it. */
export function legRecorder(call: RelayCall, target: string, started: number): RecordLeg {
  return (status, error, upstreamError = null, answer) => {
    const value = {
      target,
      status,
      latencyMs: performance.now() - started,
      error,
      upstreamError,
      ...(answer ? { answer } : {}),
    }
    call.onLeg?.(value)
    return value
  }
}
