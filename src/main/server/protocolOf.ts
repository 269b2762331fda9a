import type { IncomingMessage } from 'node:http'
import {
  classifyInboundRequest,
  PROTOCOL_VERSION_META_KEY,
  SUPPORTED_PROTOCOL_VERSIONS,
} from '@modelcontextprotocol/server'
import type { ProtocolUse } from '../../shared/events'
import {
  isJsonRpc,
  isRequest,
  metaOf,
  paramsOf,
  type JsonRpcMessage,
} from '../gateway/jsonRpcShapes'

/** A request header's first value. */
export function headerOf(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name]
  return Array.isArray(value) ? value[0] : value
}

/** The SDK's own classification of a Node request (era, and the spec's transport checks). */
export function classifyNodeRequest(req: IncomingMessage, body: unknown) {
  return classifyInboundRequest({
    httpMethod: req.method ?? 'GET',
    protocolVersionHeader: headerOf(req, 'mcp-protocol-version'),
    mcpMethodHeader: headerOf(req, 'mcp-method'),
    mcpNameHeader: headerOf(req, 'mcp-name'),
    body,
  })
}

/**
 * The era and version a request speaks, as the SDK's own classifier routes it. A plain request
 * other than `initialize` is read directly (the classifier's rules for it): with an envelope claim
 * it is modern (the SDK's modern entry classifies it again and refuses what is wrong), with neither
 * a claim nor an unknown version header it is 2025-era. Everything else goes to the classifier.
 */
export function protocolOf(req: IncomingMessage, body: unknown): ProtocolUse {
  const header = (name: string) => headerOf(req, name)
  const plain = req.method === 'POST' ? plainRequest(body) : null
  if (plain) {
    const version = header('mcp-protocol-version')
    const claim = metaOf(paramsOf(plain))?.[PROTOCOL_VERSION_META_KEY]
    if (claim !== undefined)
      return { era: 'modern', version: typeof claim === 'string' ? claim : (version ?? null) }
    if (version === undefined || SUPPORTED_PROTOCOL_VERSIONS.includes(version))
      return { era: 'legacy', version: version ?? null }
  }
  const outcome = classifyNodeRequest(req, body)
  if (outcome.kind === 'modern')
    return { era: 'modern', version: outcome.classification.revision ?? null }
  if (outcome.kind === 'reject')
    return { era: 'modern', version: header('mcp-protocol-version') ?? null }
  const requested = (body as { params?: { protocolVersion?: unknown } } | undefined)?.params
    ?.protocolVersion
  const named =
    header('mcp-protocol-version') ?? (typeof requested === 'string' ? requested : undefined)
  return { era: 'legacy', version: named ?? null }
}

/** A JSON-RPC request as the SDK's schema has it, other than `initialize`; null for anything else. */
function plainRequest(body: unknown): JsonRpcMessage | null {
  if (!isJsonRpc(body) || !isRequest(body) || body.method === 'initialize') return null
  // The schema's id is an integer when a number, and params an object when present.
  if (typeof body.id === 'number' && !Number.isSafeInteger(body.id)) return null
  if (body.params !== undefined && paramsOf(body) !== body.params) return null
  return body
}
