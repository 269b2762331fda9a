import { ScopeSchema } from '../../../shared/config'

/** The first message of a shared schema's refusal, or null when the value passes. */
export function schemaError(
  schema: {
    safeParse(v: unknown): { success: boolean; error?: { issues: { message: string }[] } }
  },
  value: unknown,
): string | null {
  const result = schema.safeParse(value)
  return result.success ? null : (result.error?.issues[0]?.message ?? 'invalid')
}

export const validateScope = (t: string): string | null =>
  schemaError(ScopeSchema, t) ? `"${t}" is not a valid scope` : null
