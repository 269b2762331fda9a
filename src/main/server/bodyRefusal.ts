import type { BodyError } from '../http/httpHelpers'
import { requestIdOf } from './exchange'

/** A body the server cannot dispatch, parsed again for the log only (undefined when it is not JSON). */
export function parseForLog(text: string | undefined): unknown {
  try {
    return text === undefined ? undefined : JSON.parse(text)
  } catch {
    return undefined
  }
}

export function bodyRefusal(err: BodyError, body: unknown) {
  if (err.kind === 'too_large') {
    return {
      status: 413,
      verdict: 'forbidden' as const,
      reply: rpcError(-32600, `Request body too large: ${err.message}`),
    }
  }
  const message =
    err.kind === 'too_deep'
      ? `Invalid Request: ${err.message}`
      : 'Parse error: the body is not valid JSON'
  const code = err.kind === 'too_deep' ? -32600 : -32700
  return {
    status: 400,
    verdict: 'error' as const,
    reply: rpcError(code, message, requestIdOf(body)),
  }
}

export function rpcError(code: number, message: string, id: string | number | null = null) {
  return { jsonrpc: '2.0', id: id ?? null, error: { code, message } }
}
