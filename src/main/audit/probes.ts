import { extractWWWAuthenticateParams } from '@modelcontextprotocol/client'
import type { AuditExchange } from '../../shared/audit'
import type { AuditContext, WwwAuthenticate } from './auditContext'
import { openCheckSession, type ProtocolEraChoice } from './mcpSession'
import { challengeOf } from './wire'

/** A challenge string read the way the SDK's client reads one. */
export function parseChallenge(raw: string): WwwAuthenticate {
  const params = extractWWWAuthenticateParams(
    new Response(null, { headers: { 'www-authenticate': raw } }),
  )
  return {
    raw,
    error: params.error,
    errorDescription: params.errorDescription,
    resourceMetadata: params.resourceMetadataUrl?.href,
    scope: params.scope,
  }
}

/** The `mcp/www_authenticate` hint of a tool result (a string or an array of them), parsed. */
export function hintOf(result: Record<string, unknown> | null): WwwAuthenticate | null {
  const meta = result?._meta as Record<string, unknown> | undefined
  const value = meta?.['mcp/www_authenticate']
  const first = Array.isArray(value) ? value.find((v) => typeof v === 'string') : value
  return typeof first === 'string' ? parseChallenge(first) : null
}

export type CallOutcome =
  | {
      kind: 'result'
      result: Record<string, unknown>
      isError: boolean
      hint: WwwAuthenticate | null
      text: string
    }
  | { kind: 'http'; status: number; challenge: WwwAuthenticate | null; at: 'connect' | 'call' }
  | { kind: 'error'; message: string }

/**
 * The last refused POST in the evidence, with its challenge (a GET stream's 405 is not a refusal).
 */
export function lastHttpError(
  evidence: AuditExchange[],
): { status: number; challenge: WwwAuthenticate | null } | null {
  for (let i = evidence.length - 1; i >= 0; i--) {
    const response = evidence[i].response
    if (evidence[i].request.method === 'POST' && response && response.status >= 400) {
      const raw = challengeOf(evidence[i]) ?? response.headers['www-authenticate']
      return { status: response.status, challenge: raw ? parseChallenge(raw) : null }
    }
  }
  return null
}

/**
 * Arguments that satisfy a tool's input schema's required properties with plain placeholder values.
 */
export function argsFor(inputSchema: unknown): Record<string, unknown> {
  const schema = inputSchema as {
    properties?: Record<string, { type?: unknown; enum?: unknown[]; default?: unknown }>
    required?: unknown
  }
  const out: Record<string, unknown> = {}
  const required = Array.isArray(schema?.required)
    ? schema.required.filter((r): r is string => typeof r === 'string')
    : []
  for (const name of required) {
    const prop = schema.properties?.[name] ?? {}
    if (prop.default !== undefined) out[name] = prop.default
    else if (Array.isArray(prop.enum) && prop.enum.length) out[name] = prop.enum[0]
    else if (prop.type === 'number' || prop.type === 'integer') out[name] = 1
    else if (prop.type === 'boolean') out[name] = false
    else if (prop.type === 'array') out[name] = []
    else if (prop.type === 'object') out[name] = {}
    else out[name] = 'audit'
  }
  return out
}

export interface CallOptions {
  tool: string
  args: Record<string, unknown>
  token?: string | null
  era?: ProtocolEraChoice
}

/**
 * Connects (one session per call, as a fresh client would) and calls one tool; the evidence gets
 * every exchange.
 */
export async function callToolOnce(
  ctx: AuditContext,
  evidence: AuditExchange[],
  options: CallOptions,
): Promise<CallOutcome> {
  let session
  try {
    session = await openCheckSession(ctx, options.token ?? null, { era: options.era })
  } catch (err) {
    return failedCall(evidence, err, 'connect')
  }
  try {
    await session.client.callTool(
      { name: options.tool, arguments: options.args },
      { timeout: ctx.timeoutMs },
    )
    const result = session.lastRawResult() ?? {}
    return {
      kind: 'result',
      result,
      isError: result.isError === true,
      hint: hintOf(result),
      text: resultText(result),
    }
  } catch (err) {
    return failedCall(evidence, err, 'call')
  } finally {
    await session.close()
  }
}

/** A connect or call that threw: the HTTP refusal the evidence recorded, else the error itself. */
export function failedCall(
  evidence: AuditExchange[],
  err: unknown,
  at: 'connect' | 'call',
): CallOutcome {
  const refused = lastHttpError(evidence)
  return refused
    ? { kind: 'http', status: refused.status, challenge: refused.challenge, at }
    : { kind: 'error', message: (err as Error).message }
}

export function resultText(result: Record<string, unknown>): string {
  const content = Array.isArray(result.content)
    ? (result.content as { type?: string; text?: string }[])
    : []
  return content.find((c) => c.type === 'text')?.text?.slice(0, 200) ?? ''
}

/** `"a b"` → `["a", "b"]`. */
export function scopeList(scope: string | undefined): string[] {
  return (scope ?? '').split(' ').filter(Boolean)
}
