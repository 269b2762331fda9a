import type { RequestEvent } from '../../shared/events'
import { boundValue, type Bounded } from './boundValue'
import { redactHeaders, redactText } from './redact'

export interface RecordLimits {
  /** Approximate JSON bytes kept of each body (request, response). */
  maxBodyBytes: number
  /** Levels of nesting kept in bodies and token claims. */
  maxDepth: number
}

export const DEFAULT_RECORD_LIMITS: RecordLimits = { maxBodyBytes: 64 * 1024, maxDepth: 32 }

const SCALAR_FIELDS = new Set([
  'id',
  'time',
  'method',
  'status',
  'latencyMs',
  'rpcId',
  'verdict',
  'viaPublicUrl',
  'widgetMode',
])
const HEADER_FIELD = /Headers$/
const BODY_NAMES: Record<string, string> = {
  requestBody: 'request body',
  responseBody: 'response body',
}

/**
 * Fields whose value is one shared, never-mutated object per verified token (decoded token,
 * identity): made safe once per object and limits, not once per request.
 */
const SHARED_FIELDS = new Set(['token', 'identity'])
const boundOnce = new WeakMap<object, { limits: RecordLimits; bounded: Bounded }>()
function boundShared(value: object, limits: RecordLimits): Bounded {
  const hit = boundOnce.get(value)
  if (hit?.limits.maxBodyBytes === limits.maxBodyBytes && hit.limits.maxDepth === limits.maxDepth)
    return hit.bounded
  const bounded = boundValue(value, { maxBytes: limits.maxBodyBytes, maxDepth: limits.maxDepth })
  boundOnce.set(value, { limits, bounded })
  return bounded
}

export type RecordedEvent<T> = { event: T; bytes: number }

/**
 * The one place an event is made safe to keep: every field redacted (headers, URLs, bodies, free
 * text), bodies and token claims bounded in depth and size, with a note saying what was cut.
 */
export function recordEvent<T extends Omit<RequestEvent, 'id'>>(
  input: T,
  limits: RecordLimits,
): RecordedEvent<T> {
  const out: Record<string, unknown> = {}
  const notes: string[] = [...(input.notes ?? [])]
  let bytes = 256
  for (const [field, value] of Object.entries(input)) {
    if (field === 'notes') continue
    if (
      SCALAR_FIELDS.has(field) ||
      value === null ||
      value === undefined ||
      typeof value === 'number' ||
      typeof value === 'boolean'
    ) {
      out[field] = typeof value === 'string' ? keepText(value, 1024) : value
      bytes += typeof value === 'string' ? Math.min(value.length, 1100) : 16
    } else if (typeof value === 'string') {
      out[field] = keepText(value, 4096)
      bytes += Math.min(value.length, 4200)
    } else if (HEADER_FIELD.test(field) && typeof value === 'object' && !Array.isArray(value)) {
      const bounded = boundValue(redactHeaders(value as Record<string, unknown>), {
        maxBytes: 16 * 1024,
        maxDepth: 2,
        secretKeys: false,
        redactStrings: false,
      })
      out[field] = bounded.value
      bytes += bounded.bytes
    } else {
      const bounded = SHARED_FIELDS.has(field)
        ? boundShared(value as object, limits)
        : boundValue(value, { maxBytes: limits.maxBodyBytes, maxDepth: limits.maxDepth })
      out[field] = bounded.value
      bytes += bounded.bytes
      if (bounded.note) notes.push(`${BODY_NAMES[field] ?? field} ${bounded.note}`)
    }
  }
  if (notes.length) out.notes = notes
  return { event: out as T, bytes }
}

/**
 * Free text redacted and cut at `limit` characters, as a fresh string: a slice would keep the
 * caller's whole string (a 1 MiB `id`, say) alive behind the log's back.
 */
function keepText(value: string, limit: number): string {
  if (value.length <= limit) return redactText(value)
  const head = redactText(value.slice(0, limit + 1024)).slice(0, limit)
  return Buffer.from(`${head}… [truncated: ${value.length} characters]`, 'utf8').toString('utf8')
}
