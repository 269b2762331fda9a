import type { IncomingMessage } from 'node:http'
import { SERVER_INFO_META_KEY } from '@modelcontextprotocol/client'
import { classifyNodeRequest, headerOf } from '../server/protocolOf'
import {
  errorResponse,
  isJsonRpc,
  isModernVersion,
  isRequest,
  metaOf,
  paramsOf,
  type JsonRpcId,
  type JsonRpcMessage,
} from './jsonRpcShapes'

/** The 2026-07-28 revisions a client may speak to a stdio upstream through the Workbench. */
export const GATEWAY_MODERN_VERSIONS = ['2026-07-28']

// Results a 2026-07-28 client may cache: they carry `ttlMs` and `cacheScope`.
const CACHEABLE = new Set([
  'tools/list',
  'prompts/list',
  'resources/list',
  'resources/templates/list',
  'resources/read',
  'server/discover',
])

/**
 * A 2025-era result as a 2026-07-28 client must get it: `resultType`, cache hints on cacheable results, and the
 * server's identity in `_meta`. Fields the upstream set are kept.
 */
export function asModernResult(
  method: string,
  result: Record<string, unknown>,
  serverInfo?: unknown,
): Record<string, unknown> {
  const meta = metaOf(result)
  return {
    resultType: 'complete',
    ...(CACHEABLE.has(method) ? { ttlMs: 0, cacheScope: 'private' } : {}),
    ...result,
    ...(serverInfo && !meta?.[SERVER_INFO_META_KEY]
      ? { _meta: { ...meta, [SERVER_INFO_META_KEY]: serverInfo } }
      : {}),
  }
}

/**
 * `server/discover` for a stdio upstream, answered by the Workbench from the child's own `initialize` result.
 * The one shared child is pinned to the 2025 era by that handshake (the SDK's `serveStdio` pins a connection
 * to the era it opened with) and serves legacy and modern clients alike, so relaying discover would get
 * "Method not found". Modern requests are relayed with their `_meta` envelope (a 2025 server ignores it) and
 * their results stamped by {@link asModernResult}.
 */
export function discoverFromInitialize(
  id: JsonRpcId,
  init: Record<string, unknown>,
): JsonRpcMessage {
  const { capabilities, serverInfo, instructions } = init
  const result = {
    supportedVersions: GATEWAY_MODERN_VERSIONS,
    capabilities: capabilities ?? {},
    ...(typeof instructions === 'string' ? { instructions } : {}),
  }
  return { jsonrpc: '2.0', id, result: asModernResult('server/discover', result, serverInfo) }
}

/**
 * The 2026-07-28 transport checks (the `Mcp-Method` / `Mcp-Name` headers match the body, the envelope is well
 * formed) as the SDK's own classifier makes them, so a request the upstream would never see (stdio) or the
 * gateway decides on (tools/call) is held to them too. Null when the request passes or is not modern.
 */
export function modernRejection(
  req: IncomingMessage,
  body: unknown,
): { status: number; error: { code: number; message: string }; reply: JsonRpcMessage } | null {
  if (!isModernVersion(req.headers['mcp-protocol-version'])) return null
  const outcome = classifyNodeRequest(req, body)
  const id = isJsonRpc(body) && isRequest(body) ? body.id : null
  if (outcome.kind === 'reject')
    return {
      status: outcome.httpStatus,
      error: { code: outcome.code, message: outcome.message },
      reply: errorResponse(id, outcome.code, outcome.message, outcome.data),
    }
  if (outcome.kind !== 'modern' || outcome.messageKind !== 'request') return null
  const header = headerOf(req, 'mcp-name')
  const why = nameMismatch(outcome.message.method, paramsOf(outcome.message), header)
  if (!why) return null
  const message = `Bad Request: the request headers and body disagree: ${why}`
  return {
    status: 400,
    error: { code: HEADER_MISMATCH, message },
    reply: errorResponse(id, HEADER_MISMATCH, message, {
      mismatch: { header: header ?? '(missing)', body: why },
    }),
  }
}

// The SDK checks Mcp-Name in its HTTP entry only (not exported): the same rule, for a stdio upstream, which
// has no HTTP entry of its own. The body fields the header mirrors, per method (SEP-2243).
const HEADER_MISMATCH = -32020
const NAME_FIELD: Record<string, string> = {
  'tools/call': 'name',
  'prompts/get': 'name',
  'resources/read': 'uri',
  'tasks/get': 'taskId',
  'tasks/update': 'taskId',
  'tasks/cancel': 'taskId',
}
const BASE64_SENTINEL =
  /^=\?base64\?((?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?)\?=$/

function nameMismatch(
  method: string,
  params: Record<string, unknown>,
  header: string | undefined,
): string | null {
  const field = Object.hasOwn(NAME_FIELD, method) ? NAME_FIELD[method] : undefined
  if (!field) return null
  const value = typeof params[field] === 'string' ? (params[field] as string) : undefined
  if (header === undefined)
    return value === undefined
      ? null
      : `the body carries params.${field}="${value}" but the required Mcp-Name header is absent`
  const trimmed = header.trim()
  if (trimmed.startsWith('=?base64?') && !BASE64_SENTINEL.test(trimmed))
    return 'the Mcp-Name header carries an invalid Base64 sentinel value'
  const encoded = BASE64_SENTINEL.exec(trimmed)?.[1]
  const decoded = encoded === undefined ? trimmed : Buffer.from(encoded, 'base64').toString('utf8')
  if (value !== undefined && decoded !== value)
    return `the body carries params.${field}="${value}" but the Mcp-Name header names "${decoded}"`
  return null
}

const LOG_LEVEL_META_KEY = 'io.modelcontextprotocol/logLevel'
const LOG_LEVELS = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency']

/** The least severe log level a 2026-07-28 request asks to hear (in its `_meta`); undefined for none. */
export function requestedLogLevel(meta: Record<string, unknown> | undefined): string | undefined {
  const level = meta?.[LOG_LEVEL_META_KEY]
  return typeof level === 'string' && LOG_LEVELS.includes(level) ? level : undefined
}

/** A log message at `level` is for a request that asked for `wanted` or a less severe level. */
export function logLevelAllows(wanted: string, level: unknown): boolean {
  return typeof level === 'string' && LOG_LEVELS.indexOf(level) >= LOG_LEVELS.indexOf(wanted)
}
