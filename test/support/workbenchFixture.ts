import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  Client,
  StreamableHTTPClientTransport,
  type ClientOptions,
} from '@modelcontextprotocol/client'
import type { ProtocolEra } from '../../src/shared/events'
import type { WorkbenchConfigInput } from '../../src/shared/config'
import { createWorkbench, type Workbench } from '../../src/main/core'

export interface Fixture {
  workbench: Workbench
  dir: string
  configPath: string
  /**
   * An SDK v2 client over Streamable HTTP, optionally sending a bearer token. `era` pins the
   * protocol: `legacy` (2025-11-25 initialize + session) or `modern` (2026-07-28, stateless).
   */
  connect(token?: string, era?: ProtocolEra, options?: ClientOptions): Promise<Client>
  close(): Promise<void>
}

export interface FixtureOptions {
  logCapacity?: number
  sessionLimits?: { maxSessions?: number; maxPerSource?: number }
}

export async function startWorkbench(
  config: WorkbenchConfigInput,
  options: FixtureOptions = {},
): Promise<Fixture> {
  const dir = await mkdtemp(join(tmpdir(), 'workbench-test-'))
  const configPath = join(dir, 'config.json')
  await writeFile(
    configPath,
    JSON.stringify({ ...config, server: { port: 0, ...config.server } }, null, 2),
  )
  const workbench = await createWorkbench({ configPath, dataDir: join(dir, 'data'), ...options })
  await workbench.start()
  const clients: Client[] = []
  return {
    workbench,
    dir,
    configPath,
    async connect(token, era = 'legacy', options = {}) {
      const client = createClient(era, options)
      const headers = token ? { Authorization: `Bearer ${token}` } : undefined
      const transport = new StreamableHTTPClientTransport(new URL(workbench.mcpUrl()), {
        requestInit: { headers },
      })
      await client.connect(transport)
      clients.push(client)
      return client
    },
    async close() {
      await Promise.all(clients.map((c) => c.close().catch(() => {})))
      await workbench.close()
      await rm(dir, { recursive: true, force: true })
    },
  }
}

export const ERAS: ProtocolEra[] = ['legacy', 'modern']
export const MODERN_VERSION = '2026-07-28'

/** A v2 SDK client speaking one era only (no negotiation, so a test knows which leg it exercised). */
export function createClient(era: ProtocolEra, options: ClientOptions = {}): Client {
  const versionNegotiation =
    era === 'modern' ? { mode: { pin: MODERN_VERSION } } : { mode: 'legacy' as const }
  return new Client({ name: 'test-client', version: '1.0.0' }, { ...options, versionNegotiation })
}

/** Headers a 2026-07-28 request must carry (the spec's standard headers). */
export function modernHeaders(method: string, name?: string): Record<string, string> {
  return {
    'mcp-protocol-version': MODERN_VERSION,
    'mcp-method': method,
    ...(name ? { 'mcp-name': name } : {}),
  }
}

/** A 2026-07-28 request body: the protocol version and client identity ride in `_meta`. */
export function modernRequest(id: number, method: string, params: Record<string, unknown> = {}) {
  const _meta = {
    'io.modelcontextprotocol/protocolVersion': MODERN_VERSION,
    'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1' },
    'io.modelcontextprotocol/clientCapabilities': {},
  }
  return { jsonrpc: '2.0', id, method, params: { ...params, _meta } }
}

/** Posts one JSON-RPC message (or raw text) to /mcp and returns status, headers and the parsed reply. */
export async function postMcp(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; json: unknown; text: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
  const text = await response.text()
  let json: unknown
  const data = text
    .split('\n')
    .filter((l) => l.startsWith('data:'))
    .map((l) => l.slice(5).trim())
  try {
    json = JSON.parse(data.length ? data[data.length - 1] : text)
  } catch {
    json = null
  }
  return { status: response.status, headers: response.headers, json, text }
}

export const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: {
    protocolVersion: '2025-06-18',
    capabilities: {},
    clientInfo: { name: 'raw', version: '1' },
  },
}

/** RFC 6750 challenge params, parsed strictly: `Bearer k="v", k="v"`. */
export function parseChallenge(value: string): Record<string, string> {
  const match = /^Bearer (.*)$/.exec(value)
  if (!match) throw new Error(`not a Bearer challenge: ${value}`)
  const params: Record<string, string> = {}
  const re = /\s*([a-z_]+)="((?:[^"\\]|\\.)*)"\s*(,|$)/gy
  let m: RegExpExecArray | null
  let consumed = 0
  while ((m = re.exec(match[1])) !== null) {
    params[m[1]] = m[2].replace(/\\(.)/g, '$1')
    consumed = re.lastIndex
    if (m[3] === '') break
  }
  if (consumed !== match[1].length) throw new Error(`malformed challenge params: ${match[1]}`)
  return params
}
