import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client'
import type { Gateway } from '../../src/main/gateway/createGateway'
import type { Caller } from '../../src/main/gateway/identityToken'
import type { UpstreamLegEvent } from '../../src/shared/gateway'

/** A 2025-11-25 initialize, for tests that open a session by hand (rawPost). */
export const RAW_INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: {
    protocolVersion: '2025-11-25',
    capabilities: {},
    clientInfo: { name: 'raw', version: '1' },
  },
}

export interface GatewayHarness {
  url: string
  legs: UpstreamLegEvent[]
  /** The caller the next requests speak for (what the Workbench verified); null = anonymous. */
  caller: Caller | null
  close(): Promise<void>
}

/** A bare HTTP front for a gateway: body parsed, caller set by the test; no auth (that is the Workbench's part). */
export async function serveGateway(gateway: Gateway): Promise<GatewayHarness> {
  const harness: GatewayHarness = { url: '', legs: [], caller: null, close: async () => {} }
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8')
      const body = text ? (JSON.parse(text) as unknown) : undefined
      void gateway
        .relay({ req, res, body, caller: harness.caller })
        .then((leg) => leg && harness.legs.push(leg))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  harness.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`
  harness.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    })
  return harness
}

export async function connectClient(
  url: string,
  capabilities: Record<string, unknown> = {},
  token?: string,
): Promise<Client> {
  const client = new Client({ name: 'gateway-test', version: '1.0.0' }, { capabilities })
  const requestInit = token ? { headers: { authorization: `Bearer ${token}` } } : undefined
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit }))
  return client
}

/** Raw JSON-RPC over HTTP, to see what the SDK client would strip. */
export async function rawPost(
  url: string,
  message: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; messages: Record<string, unknown>[] }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-11-25',
      ...headers,
    },
    body: JSON.stringify(message),
  })
  const text = await response.text()
  const type = response.headers.get('content-type') ?? ''
  const messages = type.includes('text/event-stream')
    ? text
        .split('\n')
        .filter((l) => l.startsWith('data:'))
        .map((l) => JSON.parse(l.slice(5)) as Record<string, unknown>)
    : text
      ? [JSON.parse(text) as Record<string, unknown>]
      : []
  return { status: response.status, headers: response.headers, messages }
}
