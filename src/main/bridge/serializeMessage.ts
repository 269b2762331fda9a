import type { BridgeServerMessage } from '../../shared/contract'

/**
 * The bridge's JSON text of a message. A value that cannot be serialized (nested too deep for
 * JSON.stringify, a cycle, a BigInt) becomes an error reply or is dropped, never a thrown exception.
 */
export function serializeMessage(message: BridgeServerMessage): string | null {
  try {
    return JSON.stringify(message)
  } catch (err) {
    if (message.type !== 'result') return null
    const reason = err instanceof Error ? err.message : String(err)
    return JSON.stringify({
      type: 'result',
      id: message.id,
      response: {
        ok: false,
        error: {
          code: 'ERR_INTERNAL',
          message: `The reply could not be sent to the UI: ${reason}`,
        },
      },
    })
  }
}
