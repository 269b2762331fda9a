import type { StoredOAuthTokens } from '@modelcontextprotocol/client'
import { decodeJwt } from 'jose'
import type { ConnectState } from '../../shared/issuerTypes'
import { scopesFromClaims } from '../auth/accessToken'
import type { ConnectOAuthProvider } from './connectOAuthProvider'
import type { ConnectRecorder, ConnectStepId } from './connectRecorder'
import type { Session } from './connectTypes'

/** Closes the metadata and registration steps the SDK went through without a request we could file. */
export function settleMetadataSteps(
  recorder: ConnectRecorder,
  provider: ConnectOAuthProvider,
  preRegistered: boolean,
) {
  const steps = recorder.state().steps
  const status = (id: ConnectStepId) => steps.find((s) => s.id === id)?.status
  if (status('resourceMetadata') === 'running' && status('authServerMetadata') === 'ok') {
    recorder.skip(
      'resourceMetadata',
      'No RFC 9728 metadata: the server origin was taken as the authorization server (2025-03-26 rules).',
    )
  }
  if (status('authServerMetadata') === 'running') {
    recorder.skip(
      'authServerMetadata',
      'No authorization server metadata: the default endpoints /authorize, /token and /register were used (2025-03-26 rules).',
    )
  }
  const client = provider.storedClient()
  if (client && status('registration') !== 'ok') {
    if (preRegistered)
      recorder.succeed('registration', { method: 'pre-registered', client_id: client.client_id })
    else if (/^https?:\/\/.*\//.test(client.client_id)) {
      recorder.succeed('registration', {
        method: 'Client ID Metadata Document',
        client_id: client.client_id,
      })
    }
  }
}

/** Who the tokens say the person is: from the JWT claims, else from the token response. */
export function identityFromTokens(
  tokens: StoredOAuthTokens | undefined,
  clientId: string | null,
): ConnectState['identity'] {
  if (!tokens) return null
  let claims: Record<string, unknown> = {}
  try {
    claims = decodeJwt(tokens.access_token) as Record<string, unknown>
  } catch {
    // An opaque token: the identity is whatever the token response says.
  }
  const opaque = Object.keys(claims).length === 0
  const scopes = opaque ? (tokens.scope ?? '').split(' ').filter(Boolean) : scopesFromClaims(claims)
  const now = Math.floor(Date.now() / 1000)
  const expiresAt =
    typeof claims.exp === 'number' ? claims.exp : tokens.expires_in ? now + tokens.expires_in : null
  const subject = typeof claims.sub === 'string' ? claims.sub : 'unknown (opaque token)'
  return { subject, scopes, expiresAt, clientId }
}

/** Credentials belong to one issuer and one resource: when either changes, they are dropped. */
export function checkBinding(s: Session, recorder: ConnectRecorder): void {
  const d = s.provider.storedDiscovery()
  const issuer = d?.authorizationServerMetadata?.issuer ?? d?.authorizationServerUrl
  const binding = issuer ? `${issuer} ${d?.resourceMetadata?.resource ?? s.mcpUrl}` : undefined
  if (s.binding && binding && binding !== s.binding) {
    s.provider.clearTokens()
    s.idToken = undefined
    recorder.set({ identity: null })
  }
  s.binding = binding ?? s.binding
}
