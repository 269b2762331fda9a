import { WorkbenchError } from '../../shared/errors'
import type { ConnectStepId } from './connectRecorder'

const CONTEXT: Record<ConnectStepId, string> = {
  challenge: 'The MCP server could not be reached or answered unexpectedly',
  resourceMetadata: 'The protected resource metadata (RFC 9728) could not be read',
  authServerMetadata: 'The authorization server metadata could not be read',
  registration: 'The authorization server refused to register the Workbench as a client',
  authorization: 'Sign-in did not complete',
  token: 'The authorization server refused to exchange the code for tokens',
  refresh: 'The authorization server refused to refresh the token',
  stepUp: 'Asking for more scopes failed',
  identity: 'The MCP server refused the call made with the new token',
}

const HINTS: [RegExp, string][] = [
  [/registration/i, 'If the server does not allow dynamic registration, register a client by hand and give Connect its client ID.'],
  [/PKCE|code_challenge/i, 'The server must support PKCE with S256.'],
  [/resource/i, 'Check that the server accepts the RFC 8707 "resource" parameter (Auth0: an API whose identifier is the MCP URL; Okta: a custom authorization server).'],
  [/ECONNREFUSED|fetch failed/i, 'Is the server running, and is the URL right?'],
]

/** The failure of a Connect step, in plain words: what went wrong where, the underlying reason, and a hint when one fits. */
export function describeConnectError(step: ConnectStepId, err: unknown): string {
  if (err instanceof WorkbenchError) return err.message
  const e = err as Error & { errorUri?: string; cause?: { code?: string } }
  const reason = [e?.message ?? String(err), e?.cause?.code].filter(Boolean).join(' ')
  const hint = HINTS.find(([re]) => re.test(reason))?.[1]
  return `${CONTEXT[step]}: ${reason}${hint ? ` ${hint}` : ''}`
}
