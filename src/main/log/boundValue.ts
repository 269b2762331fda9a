import { redacted, redactText, SECRET_PARAMS } from './redact'

export interface BoundOptions {
  /** Approximate JSON bytes kept. */
  maxBytes: number
  /** Levels of nesting kept; deeper values are replaced by a marker. */
  maxDepth: number
  /**
   * Fingerprint string values under secret keys (`client_secret`, `refresh_token`, …). Default
   * true.
   */
  secretKeys?: boolean
  /** Redact free text in string values. Default true; false for values redacted already. */
  redactStrings?: boolean
}

export interface Bounded {
  value: unknown
  /** Approximate JSON size of what is kept. */
  bytes: number
  /** Approximate JSON size of the original (measured only when something was cut). */
  fullBytes: number
  /** What was cut, in words; null when nothing was. */
  note: string | null
}

const MARKER_DEEP = (depth: number) => `[truncated: nested deeper than ${depth} levels]`

/**
 * A copy of `value` that is safe to keep and serialize: secrets (by key or shape) fingerprinted,
 * nesting cut at `maxDepth`, and items past `maxBytes` dropped with a marker. Never recurses deeper
 * than `maxDepth`.
 */
export function boundValue(value: unknown, options: BoundOptions): Bounded {
  let remaining = options.maxBytes
  let cutDeep = false
  let cutSize = false

  const walk = (v: unknown, depth: number, key: string | null): unknown => {
    if (typeof v === 'string') {
      const secret =
        options.secretKeys !== false && key !== null && SECRET_PARAMS.has(key.toLowerCase())
      const text = secret ? redacted(v) : v
      return keepString(text)
    }
    if (v === null || typeof v !== 'object') {
      remaining -= scalarSize(v)
      return typeof v === 'bigint' || typeof v === 'function' || typeof v === 'symbol'
        ? String(v)
        : v
    }
    if (depth >= options.maxDepth) {
      cutDeep = true
      remaining -= 40
      return MARKER_DEEP(options.maxDepth)
    }
    if (Array.isArray(v)) {
      const out: unknown[] = []
      remaining -= 2
      for (let i = 0; i < v.length; i++) {
        if (remaining <= 0) {
          cutSize = true
          out.push(`[truncated: ${v.length - i} more items]`)
          break
        }
        out.push(walk(v[i], depth + 1, null))
        remaining -= 1
      }
      return out
    }
    const out: Record<string, unknown> = {}
    const entries = Object.keys(v)
    remaining -= 2
    for (let i = 0; i < entries.length; i++) {
      const k = entries[i]
      if (remaining <= 0) {
        cutSize = true
        out['[truncated]'] = `${entries.length - i} more keys`
        break
      }
      remaining -= k.length + 4
      out[k] = walk((v as Record<string, unknown>)[k], depth + 1, k)
    }
    return out
  }

  const keepString = (text: string): string => {
    // Redact only what can be kept (plus a margin, so a secret across the cut is still caught).
    const window =
      text.length + 2 <= remaining ? text : text.slice(0, Math.max(0, remaining) + 4096)
    const clean = options.redactStrings === false ? window : redactText(window)
    if (window === text && clean.length + 2 <= remaining) {
      remaining -= clean.length + 2
      return clean
    }
    cutSize = true
    const keep = Math.max(0, remaining - 40)
    remaining -= keep + 40
    // A fresh copy: a slice would keep the whole original string alive.
    const head = Buffer.from(clean.slice(0, keep), 'utf8').toString('utf8')
    return `${head}… [truncated: ${text.length} characters in full]`
  }

  const kept = walk(value, 0, null)
  const bytes = options.maxBytes - remaining
  // The original's size matters only when something was cut (the walk stopped counting there).
  const fullBytes = cutSize || cutDeep ? jsonSize(value) : bytes
  const cuts = [
    cutDeep && `nested deeper than ${options.maxDepth} levels (cut there)`,
    cutSize &&
      `about ${formatBytes(fullBytes)} in full, ${formatBytes(Math.min(bytes, fullBytes))} kept`,
  ].filter(Boolean)
  return {
    value: kept,
    bytes,
    fullBytes,
    note: cuts.length ? `truncated: ${cuts.join('; ')}` : null,
  }
}

function scalarSize(v: unknown): number {
  if (v === null || v === undefined) return 4
  if (typeof v === 'number' || typeof v === 'bigint') return String(v).length
  if (typeof v === 'boolean') return 5
  return 8
}

/**
 * Approximate `JSON.stringify(value).length`, without recursion (any depth) and without building
 * the text.
 */
export function jsonSize(value: unknown): number {
  let total = 0
  const stack: unknown[] = [value]
  const seen = new WeakSet<object>()
  while (stack.length) {
    const v = stack.pop()
    if (typeof v === 'string') total += v.length + 2
    else if (v === null || typeof v !== 'object') total += scalarSize(v)
    else if (seen.has(v)) total += 4
    else if (Array.isArray(v)) {
      seen.add(v)
      total += 2 + v.length
      for (const item of v) stack.push(item)
    } else {
      seen.add(v)
      total += 2
      for (const [k, item] of Object.entries(v)) {
        total += k.length + 4
        stack.push(item)
      }
    }
  }
  return total
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1000 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`
}
