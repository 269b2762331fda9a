import type { IncomingMessage } from 'node:http'
import { describe, expect, it } from 'vitest'
import { classifyNodeRequest, protocolOf } from '../../src/main/server/protocolOf'

const envelope = (version: unknown) => ({
  'io.modelcontextprotocol/protocolVersion': version,
  'io.modelcontextprotocol/clientInfo': { name: 't', version: '1' },
  'io.modelcontextprotocol/clientCapabilities': {},
})
const call = (extra: Record<string, unknown> = {}) => ({
  jsonrpc: '2.0',
  id: 7,
  method: 'tools/call',
  params: { name: 'w', arguments: {}, ...extra },
})

const cases: [string, string, Record<string, string>, unknown][] = [
  ['2025 call, no header', 'POST', {}, call()],
  ['2025 call, 2025 header', 'POST', { 'mcp-protocol-version': '2025-06-18' }, call()],
  ['2025 call, unknown header', 'POST', { 'mcp-protocol-version': '1999-01-01' }, call()],
  [
    'modern call',
    'POST',
    { 'mcp-protocol-version': '2026-07-28' },
    call({ _meta: envelope('2026-07-28') }),
  ],
  ['modern header, no claim', 'POST', { 'mcp-protocol-version': '2026-07-28' }, call()],
  ['claim not a string', 'POST', {}, call({ _meta: envelope(42) })],
  ['claim naming 2025', 'POST', {}, call({ _meta: envelope('2025-06-18') })],
  [
    'initialize',
    'POST',
    {},
    { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18' } },
  ],
  ['notification', 'POST', {}, { jsonrpc: '2.0', method: 'notifications/initialized' }],
  ['response', 'POST', {}, { jsonrpc: '2.0', id: 1, result: {} }],
  ['batch', 'POST', {}, [call()]],
  ['not JSON-RPC', 'POST', {}, { hello: 1 }],
  ['fractional id', 'POST', {}, { ...call(), id: 1.5 }],
  ['params an array', 'POST', {}, { ...call(), params: [] }],
  ['GET stream', 'GET', {}, undefined],
]

describe('protocolOf reads the era as the SDK classifies it (issue 11 item 3)', () => {
  it.each(cases)('%s', (_name, method, headers, body) => {
    const req = { method, headers } as unknown as IncomingMessage
    const outcome = classifyNodeRequest(req, body)
    // The SDK's modern entry answers what it refuses; only its `legacy` outcome goes to the sessions.
    const era = outcome.kind === 'legacy' ? 'legacy' : 'modern'
    expect(protocolOf(req, body).era).toBe(era)
  })
})
