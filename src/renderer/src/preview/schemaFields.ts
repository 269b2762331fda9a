import { isJsonObject } from '../../../shared/jsonObject'

export type FieldKind = 'string' | 'text' | 'number' | 'integer' | 'boolean' | 'enum' | 'json'

export interface SchemaField {
  name: string
  kind: FieldKind
  label: string
  description: string | null
  required: boolean
  options: string[]
  defaultValue: unknown
}

function asRecord(value: unknown): Record<string, unknown> {
  return isJsonObject(value) ? value : {}
}

/** The form fields an input schema (JSON Schema object) asks for. Pure. */
export function schemaFields(schema: Record<string, unknown>): SchemaField[] {
  const properties = asRecord(schema.properties)
  const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : [])
  return Object.entries(properties).map(([name, raw]) => {
    const prop = asRecord(raw)
    const type = Array.isArray(prop.type) ? prop.type.find((t) => t !== 'null') : prop.type
    let kind: FieldKind = 'json'
    if (Array.isArray(prop.enum) && prop.enum.every((v) => typeof v === 'string')) kind = 'enum'
    else if (type === 'string')
      kind =
        typeof prop.maxLength === 'number' && prop.maxLength <= 200
          ? 'string'
          : prop.format === 'textarea'
            ? 'text'
            : 'string'
    else if (type === 'number') kind = 'number'
    else if (type === 'integer') kind = 'integer'
    else if (type === 'boolean') kind = 'boolean'
    return {
      name,
      kind,
      label: typeof prop.title === 'string' ? prop.title : name,
      description: typeof prop.description === 'string' ? prop.description : null,
      required: required.has(name),
      options: kind === 'enum' ? (prop.enum as string[]) : [],
      defaultValue: prop.default,
    }
  })
}

/**
 * The arguments to send: schema defaults, overlaid with what the user typed. Blank optional fields are left out
 * so the widget sees "absent", not "".
 */
export function buildArgs(
  fields: SchemaField[],
  input: Record<string, unknown>,
): Record<string, unknown> {
  const args: Record<string, unknown> = {}
  for (const f of fields) {
    const has = Object.prototype.hasOwnProperty.call(input, f.name)
    const value = has ? input[f.name] : f.defaultValue
    if (value === undefined) continue
    if (value === '' && !f.required) continue
    args[f.name] = value
  }
  for (const [k, v] of Object.entries(input))
    if (!fields.some((f) => f.name === k) && v !== undefined) args[k] = v
  return args
}
