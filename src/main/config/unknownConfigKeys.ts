import type { z } from 'zod'
import { WorkbenchConfigSchema } from '../../shared/config'

interface Def {
  type: string
  shape?: Record<string, z.ZodType>
  innerType?: z.ZodType
  valueType?: z.ZodType
  element?: z.ZodType
}
const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def

/**
 * Keys of the written config that the schema does not know, each with the nearest valid key at its
 * level.
 */
export function unknownConfigKeys(
  raw: unknown,
  schema: z.ZodType = WorkbenchConfigSchema,
): string[] {
  const out: string[] = []
  const walk = (value: unknown, at: z.ZodType, path: string[]): void => {
    let def = defOf(at)
    while (
      def.innerType &&
      ['default', 'prefault', 'optional', 'nullable', 'readonly', 'catch'].includes(def.type)
    )
      def = defOf(def.innerType)
    if (!value || typeof value !== 'object') return
    if (def.type === 'object' && def.shape && !Array.isArray(value)) {
      const known = Object.keys(def.shape)
      for (const [key, child] of Object.entries(value)) {
        const shape = def.shape[key]
        if (shape) walk(child, shape, [...path, key])
        else out.push(describeUnknown([...path, key].join('.'), key, known, path))
      }
    } else if (def.type === 'record' && def.valueType && !Array.isArray(value)) {
      for (const [key, child] of Object.entries(value)) walk(child, def.valueType, [...path, key])
    } else if (def.type === 'array' && def.element && Array.isArray(value)) {
      value.forEach((child, i) => walk(child, def.element as z.ZodType, [...path, String(i)]))
    }
  }
  walk(raw, schema, [])
  return out
}

function describeUnknown(dotted: string, key: string, known: string[], parent: string[]): string {
  const nearest = known
    .map((k) => ({ k, d: distance(key.toLowerCase(), k.toLowerCase()) }))
    .sort((a, b) => a.d - b.d)[0]
  const close = nearest && nearest.d <= Math.max(2, Math.floor(key.length / 3))
  const prefix = parent.length ? `${parent.join('.')}.` : ''
  return close
    ? `${dotted}: unknown key (did you mean ${prefix}${nearest.k}?)`
    : `${dotted}: unknown key, ignored`
}

/** Levenshtein distance. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(
        previous[j] + 1,
        row[j - 1] + 1,
        previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
      )
    }
    previous = row
  }
  return previous[b.length]
}
