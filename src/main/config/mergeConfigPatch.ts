import { isJsonObject, type JsonObject } from '../../shared/jsonObject'

/** Deep-merges a patch into the raw config (`upstream` is replaced whole): objects merge, arrays and scalars replace, `undefined` keeps, `null` sets null. */
export function mergeConfigPatch<T extends JsonObject>(raw: T, patch: JsonObject): T {
  const out: JsonObject = { ...raw }
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue
    out[key] =
      isJsonObject(value) &&
      isJsonObject(out[key]) &&
      key !== 'widgets' &&
      key !== 'claims' &&
      key !== 'upstream'
        ? mergeConfigPatch(out[key] as JsonObject, value)
        : value
  }
  return out as T
}
