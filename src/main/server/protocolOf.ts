import type { IncomingMessage } from 'node:http'
import { classifyInboundRequest } from '@modelcontextprotocol/server'
import type { ProtocolUse } from '../../shared/events'

/** The era and version a request speaks, as the SDK's own classifier routes it. */
export function protocolOf(req: IncomingMessage, body: unknown): ProtocolUse {
  const header = (name: string) => {
    const value = req.headers[name]
    return Array.isArray(value) ? value[0] : value
  }
  const outcome = classifyInboundRequest({
    httpMethod: req.method ?? 'GET',
    protocolVersionHeader: header('mcp-protocol-version'),
    mcpMethodHeader: header('mcp-method'),
    mcpNameHeader: header('mcp-name'),
    body,
  })
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
