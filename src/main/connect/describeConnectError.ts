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
  [
    /registration/i,
    'If the server does not allow dynamic registration, register a client by hand and give Connect its client ID.',
  ],
  [/PKCE|code_challenge/i, 'The server must support PKCE with S256.'],
  [
    /resource/i,
    'Check that the server accepts the RFC 8707 "resource" parameter (Auth0: an API whose identifier is the MCP URL; Okta: a custom authorization server).',
  ],
  [/ECONNREFUSED|fetch failed/i, 'Is the server running, and is the URL right?'],
]

const NETWORK: [RegExp, (host: string) => string][] = [
  [/ENOTFOUND/, (h) => `could not resolve ${h}: offline or a typo?`],
  [/EAI_AGAIN/, (h) => `the DNS lookup for ${h} failed: are you offline?`],
  [/ECONNREFUSED/, (h) => `${h} refused the connection: is the server running on that port?`],
  [/ECONNRESET|UND_ERR_SOCKET/, (h) => `${h} closed the connection`],
  [/ETIMEDOUT|UND_ERR_CONNECT_TIMEOUT|TimeoutError/, (h) => `${h} did not answer in time`],
  [/ENETUNREACH|EHOSTUNREACH/, (h) => `${h} is unreachable from this network: are you offline?`],
  [
    /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/,
    (h) => `${h} presented a TLS certificate this machine does not trust`,
  ],
]

/** A failed fetch in words (DNS, offline, refused, timeout, TLS), or null when it is not a network failure. */
export function describeNetworkError(err: unknown, url: URL): string | null {
  const e = err as Error & { cause?: { code?: string; name?: string; message?: string } }
  const text = [e?.name, e?.message, e?.cause?.code, e?.cause?.name, e?.cause?.message]
    .filter(Boolean)
    .join(' ')
  const match = NETWORK.find(([re]) => re.test(text))
  return match ? match[1](url.host) : null
}

/** The failure of a Connect step, in plain words: what went wrong where, the underlying reason, and a hint when one fits. */
export function describeConnectError(step: ConnectStepId, err: unknown): string {
  if (err instanceof WorkbenchError) return err.message
  const e = err as Error & { errorUri?: string; cause?: { code?: string } }
  const reason = [e?.message ?? String(err), e?.cause?.code].filter(Boolean).join(' ')
  const hint = HINTS.find(([re]) => re.test(reason))?.[1]
  return `${CONTEXT[step]}: ${reason}${hint ? ` ${hint}` : ''}`
}
