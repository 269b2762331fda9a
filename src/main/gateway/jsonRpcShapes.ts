import { PROTOCOL_VERSION_META_KEY } from '@modelcontextprotocol/server'
import { isJsonObject } from '../../shared/jsonObject'

/** A JSON-RPC message as relayed: only the envelope is looked at, every other key travels unchanged. */
export type JsonRpcMessage = Record<string, unknown> & { jsonrpc: '2.0' }
export type JsonRpcId = string | number

export const isJsonRpc = (m: unknown): m is JsonRpcMessage => isJsonObject(m) && m.jsonrpc === '2.0'
export const isRequest = (
  m: JsonRpcMessage,
): m is JsonRpcMessage & { id: JsonRpcId; method: string } =>
  typeof m.method === 'string' && (typeof m.id === 'string' || typeof m.id === 'number')
export const isNotification = (m: JsonRpcMessage): m is JsonRpcMessage & { method: string } =>
  typeof m.method === 'string' && m.id === undefined
export const isResponse = (m: JsonRpcMessage): m is JsonRpcMessage & { id: JsonRpcId } =>
  m.method === undefined &&
  (typeof m.id === 'string' || typeof m.id === 'number') &&
  ('result' in m || 'error' in m)

export function paramsOf(m: JsonRpcMessage): Record<string, unknown> {
  return isJsonObject(m.params) ? m.params : {}
}

export function metaOf(params: Record<string, unknown>): Record<string, unknown> | undefined {
  return isJsonObject(params._meta) ? params._meta : undefined
}

export const IDENTITY_META_KEY = 'workbench/identity'

/** A protocol version of the 2026 era or later (not a 2024 or 2025 revision). */
export const isModernVersion = (version: unknown): version is string =>
  typeof version === 'string' && !/^20(24|25)-/.test(version)

/** A 2026-07-28 request: its protocol version rides in `params._meta` (2025 requests carry none). */
export function isModernMessage(message: JsonRpcMessage): boolean {
  return isModernVersion(metaOf(paramsOf(message))?.[PROTOCOL_VERSION_META_KEY])
}

/**
 * The request as the upstream gets it: the signed identity in `params._meta["workbench/identity"]`, or none for
 * an anonymous caller. A client-supplied value is always dropped: only the Workbench speaks for the caller.
 * With `id`, a copy under that id (never the client's own object, which the log keeps).
 */
export function withIdentity(
  message: JsonRpcMessage,
  identity: string | null,
  id?: JsonRpcId,
): JsonRpcMessage {
  if (!isRequest(message)) return message
  const renamed = id === undefined ? message : { ...message, id }
  const params = paramsOf(message)
  const meta = metaOf(params)
  if (!identity && !(meta && IDENTITY_META_KEY in meta)) return renamed
  const nextMeta: Record<string, unknown> = { ...meta }
  if (identity) nextMeta[IDENTITY_META_KEY] = identity
  else delete nextMeta[IDENTITY_META_KEY]
  return { ...renamed, params: { ...params, _meta: nextMeta } }
}

export function errorResponse(
  id: JsonRpcId | null,
  code: number,
  message: string,
  data?: unknown,
): JsonRpcMessage {
  return { jsonrpc: '2.0', id, error: { code, message, ...(data === undefined ? {} : { data }) } }
}

/** The upstream's own failure in a response, in words: a JSON-RPC error or a tool result marked isError. */
export function upstreamErrorOf(message: JsonRpcMessage): string | null {
  const error = message.error as { code?: unknown; message?: unknown } | undefined
  if (error) return `JSON-RPC ${String(error.code)}: ${String(error.message)}`
  const result = message.result as
    { isError?: unknown; content?: { type?: unknown; text?: unknown }[] } | undefined
  if (result?.isError === true) {
    const text = Array.isArray(result.content)
      ? result.content.find((c) => c?.type === 'text')?.text
      : undefined
    return `tool error: ${typeof text === 'string' ? text.slice(0, 300) : '(no text)'}`
  }
  return null
}

/**
 * The client's answer when the upstream failed: a tool error for tools/call (the model reads it), else a
 * JSON-RPC error; both name the upstream and the cause.
 */
export function failureReply(
  request: JsonRpcMessage & { id: JsonRpcId },
  label: string,
  cause: string,
): JsonRpcMessage {
  const text = `Upstream ${label}: ${cause}`
  if (request.method === 'tools/call')
    return {
      jsonrpc: '2.0',
      id: request.id,
      result: {
        content: [{ type: 'text', text }],
        isError: true,
        // 2026-07-28 clients refuse a result without it.
        ...(isModernMessage(request) ? { resultType: 'complete' } : {}),
      },
    }
  return errorResponse(request.id, -32603, text, { upstream: label })
}
