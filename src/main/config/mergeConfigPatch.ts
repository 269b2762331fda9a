type Json = Record<string, unknown>

const isObject = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v)

/** Deep-merges a patch into the raw config (`upstream` is replaced whole): objects merge, arrays and scalars replace, `undefined` keeps, `null` sets null. */
export function mergeConfigPatch<T extends Json>(raw: T, patch: Json): T {
  const out: Json = { ...raw }
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue
    out[key] =
      isObject(value) &&
      isObject(out[key]) &&
      key !== 'widgets' &&
      key !== 'claims' &&
      key !== 'upstream'
        ? mergeConfigPatch(out[key] as Json, value)
        : value
  }
  return out as T
}
