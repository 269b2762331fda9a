export function formatClock(ms: number): string {
  const d = new Date(ms)
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0')
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`
}

/** "in 59m 12s" / "expired 3m 4s ago", from seconds left. */
export function formatCountdown(secondsLeft: number): string {
  const abs = Math.abs(Math.round(secondsLeft))
  const d = Math.floor(abs / 86400)
  const h = Math.floor((abs % 86400) / 3600)
  const m = Math.floor((abs % 3600) / 60)
  const s = abs % 60
  const text =
    d > 0 ? `${d}d ${h}h ${m}m` : h > 0 ? `${h}h ${m}m ${s}s` : m > 0 ? `${m}m ${s}s` : `${s}s`
  return secondsLeft >= 0 ? `expires in ${text}` : `expired ${text} ago`
}

function inlineJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null'
  if (Array.isArray(value)) return `[${value.map(inlineJson).join(', ')}]`
  const entries = Object.entries(value as Record<string, unknown>).filter(
    ([, v]) => v !== undefined,
  )
  return entries.length
    ? `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${inlineJson(v)}`).join(', ')} }`
    : '{}'
}

/** Pretty JSON that keeps short arrays and objects on one line, so small structures stay scannable. */
export function formatJson(value: unknown, width = 72, indent = ''): string {
  if (value === undefined) return 'undefined'
  const inline = inlineJson(value)
  if (value === null || typeof value !== 'object' || inline.length + indent.length <= width)
    return inline
  const inner = `${indent}  `
  if (Array.isArray(value))
    return `[\n${value.map((v) => inner + formatJson(v, width, inner)).join(',\n')}\n${indent}]`
  const entries = Object.entries(value as Record<string, unknown>).filter(
    ([, v]) => v !== undefined,
  )
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${formatJson(v, width, inner)}`).join(',\n')}\n${indent}}`
}
