import type { IncomingMessage } from 'node:http'
import { classifyInboundRequest } from '@modelcontextprotocol/server'
import type { ProtocolUse } from '../../shared/events'

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

/** The era and version a request speaks, as the SDK's own classifier routes it. */
export function protocolOf(req: IncomingMessage, body: unknown): ProtocolUse {
  const header = (name: string) => headerOf(req, name)
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
