/** RFC 6750 §3 auth-param value: a quoted-string with `"` and `\` escaped. */
function quote(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`).replace(/[\r\n]+/g, ' ')}"`
}

export interface ChallengeParams {
  error?: 'invalid_token' | 'insufficient_scope' | 'invalid_request'
  errorDescription?: string
  resourceMetadata: string
  scope?: string[]
}

/** A `Bearer` challenge: comma-separated quoted params (RFC 6750, RFC 9728 `resource_metadata`). */
export function bearerChallenge(params: ChallengeParams): string {
  const parts: string[] = []
  if (params.error) parts.push(`error=${quote(params.error)}`)
  if (params.errorDescription) parts.push(`error_description=${quote(params.errorDescription)}`)
  parts.push(`resource_metadata=${quote(params.resourceMetadata)}`)
  if (params.scope && params.scope.length > 0) parts.push(`scope=${quote(params.scope.join(' '))}`)
  return `Bearer ${parts.join(', ')}`
}
