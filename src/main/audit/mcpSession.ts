import {
  Client,
  StreamableHTTPClientTransport,
  type JSONRPCMessage,
} from '@modelcontextprotocol/client'
import type { AuditContext } from './auditContext'
import type { Wire } from './wire'

export type ProtocolEraChoice = 'legacy' | 'modern'

export const LEGACY_VERSION = '2025-11-25'
export const MODERN_VERSION = '2026-07-28'

/**
 * A real SDK v2 client over the recording wire; `messages` holds the JSON-RPC replies before the
 * SDK's schemas trim them.
 */
export interface AuditSession {
  client: Client
  messages: JSONRPCMessage[]
  /**
   * The raw `result` of the latest reply (unknown fields kept, e.g. top-level `securitySchemes`).
   */
  lastRawResult(): Record<string, unknown> | null
  close(): Promise<void>
}

export interface OpenSessionOptions {
  era: ProtocolEraChoice
  token?: string | null
  timeoutMs: number
  /** Extra request headers (a foreign Origin, say). */
  headers?: Record<string, string>
}

/**
 * Connects to the MCP endpoint in one protocol era, optionally sending a bearer token; throws what
 * the SDK throws.
 */
export async function openAuditSession(
  url: string,
  wire: Wire,
  options: OpenSessionOptions,
): Promise<AuditSession> {
  const mode = options.era === 'legacy' ? 'legacy' : { pin: MODERN_VERSION }
  const client = new Client(
    { name: 'mcp-auth-workbench-audit', version: '0.1.0' },
    { versionNegotiation: { mode, probe: { timeoutMs: options.timeoutMs } } },
  )
  const headers: Record<string, string> = {
    ...options.headers,
    ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
  }
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    fetch: wire.fetch,
    requestInit: { headers },
  })
  const messages: JSONRPCMessage[] = []
  const tap = () => {
    const deliver = transport.onmessage
    if (!deliver) return
    const forward = deliver as (...args: unknown[]) => void
    transport.onmessage = ((message: JSONRPCMessage, ...rest: unknown[]) => {
      if (messages.length < 200) messages.push(message)
      forward.call(transport, message, ...rest)
    }) as typeof transport.onmessage
  }
  const originalStart = transport.start.bind(transport)
  transport.start = async () => {
    tap()
    return originalStart()
  }
  await client.connect(transport, { timeout: options.timeoutMs })
  return {
    client,
    messages,
    lastRawResult() {
      for (let i = messages.length - 1; i >= 0; i--) {
        const m = messages[i] as { id?: unknown; result?: unknown }
        if (m.result && typeof m.result === 'object') return m.result as Record<string, unknown>
      }
      return null
    },
    close: () => client.close().catch(() => {}),
  }
}

/** A session on the audited endpoint with the audit's wire and timeout; legacy era unless told. */
export function openCheckSession(
  ctx: AuditContext,
  token: string | null,
  options: { era?: ProtocolEraChoice; headers?: Record<string, string> } = {},
): Promise<AuditSession> {
  return openAuditSession(ctx.target, ctx.wire, {
    era: options.era ?? 'legacy',
    token,
    timeoutMs: ctx.timeoutMs,
    ...(options.headers ? { headers: options.headers } : {}),
  })
}
