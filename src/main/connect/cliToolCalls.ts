type Schema = {
  type?: unknown
  properties?: Record<string, Schema>
  required?: unknown
  default?: unknown
  enum?: unknown[]
}

/** A value of the schema's type: its default, its first enum value, else a plain sample. */
function sample(schema: Schema | undefined): unknown {
  if (!schema) return 'test'
  if (schema.default !== undefined) return schema.default
  if (Array.isArray(schema.enum) && schema.enum.length) return schema.enum[0]
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type
  if (type === 'number' || type === 'integer') return 1
  if (type === 'boolean') return false
  if (type === 'array') return []
  if (type === 'object') return sampleArguments(schema)
  return 'test'
}

/** Arguments for a tool the CLI calls blind: every required property gets a value of its type. */
export function sampleArguments(schema: unknown): Record<string, unknown> {
  const s = (schema ?? {}) as Schema
  const required = Array.isArray(s.required) ? (s.required as string[]) : []
  return Object.fromEntries(required.map((name) => [name, sample(s.properties?.[name])]))
}

/** Headless answer to an elicitation form: accept, with the defaults the form declares. */
export function acceptWithDefaults(requestedSchema: unknown): {
  action: 'accept'
  content: Record<string, string | number | boolean>
} {
  const properties = ((requestedSchema ?? {}) as Schema).properties ?? {}
  const content: Record<string, string | number | boolean> = {}
  for (const [name, property] of Object.entries(properties)) {
    const value = property.default
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      content[name] = value
  }
  return { action: 'accept', content }
}

/** The tool calls a conformance scenario asks for (MCP_CONFORMANCE_CONTEXT `toolCalls`), if any. */
export function scriptedToolCalls(
  raw: string | undefined,
): { name: string; arguments: Record<string, unknown> }[] | null {
  if (!raw) return null
  try {
    const calls = (JSON.parse(raw) as { toolCalls?: unknown }).toolCalls
    if (!Array.isArray(calls)) return null
    return calls
      .filter((c) => typeof c?.name === 'string')
      .map((c) => ({ name: c.name, arguments: c.arguments ?? {} }))
  } catch {
    return null
  }
}
