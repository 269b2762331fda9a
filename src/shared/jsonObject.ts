/** A JSON object: not null, not an array. */
export type JsonObject = Record<string, unknown>

export const isJsonObject = (v: unknown): v is JsonObject =>
  !!v && typeof v === 'object' && !Array.isArray(v)
