import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client'
import type { UpstreamLeg, UpstreamRelay } from '../../src/main/gateway/upstreamRelay'

export interface RelayHarness {
  url: string
  legs: UpstreamLeg[]
  /** The identity the next requests forward (what the Workbench would sign for a verified caller). */
  identity: string | null
  close(): Promise<void>
}

/** A bare HTTP front for one relay: body parsed, identity set by the test; no auth (that is the Workbench's part). */
export async function serveRelay(relay: UpstreamRelay): Promise<RelayHarness> {
  const harness: RelayHarness = { url: '', legs: [], identity: null, close: async () => {} }
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8')
      const body = text ? (JSON.parse(text) as unknown) : undefined
      void relay.relay({ req, res, body, identity: harness.identity }).then((leg) => leg && harness.legs.push(leg))
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

export async function connectClient(url: string, capabilities: Record<string, unknown> = {}): Promise<Client> {
  const client = new Client({ name: 'gateway-test', version: '1.0.0' }, { capabilities })
  await client.connect(new StreamableHTTPClientTransport(new URL(url)))
  return client
}

/** Raw JSON-RPC over HTTP, to see what the SDK client would strip. */
export async function rawPost(url: string, message: unknown, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; messages: Record<string, unknown>[] }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25', ...headers },
    body: JSON.stringify(message),
  })
  const text = await response.text()
  const type = response.headers.get('content-type') ?? ''
  const messages = type.includes('text/event-stream')
    ? text.split('\n').filter((l) => l.startsWith('data:')).map((l) => JSON.parse(l.slice(5)) as Record<string, unknown>)
    : text ? [JSON.parse(text) as Record<string, unknown>] : []
  return { status: response.status, headers: response.headers, messages }
}
