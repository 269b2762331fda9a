import { randomBytes } from 'node:crypto'
import type { OAuthDiscoveryState } from '@modelcontextprotocol/client'
import type { ChatGptClientDocument } from './chatgptClientDocument'
import type { MetadataDocumentClient } from './connectOAuthProvider'
import type { ConnectStepId } from './connectRecorder'

const OIDC_SCOPES = ['openid', 'email', 'profile']

/** Behaving as ChatGPT does: its CIMD document, its redirect rule, its scopes and parameters. */
export interface ChatGptProfileOptions {
  document: ChatGptClientDocument
  /** Where the document is served (the Workbench's public URL, or the CLI's own server). */
  documentBaseUrl: () => string
}

/** One warning per step where ChatGPT would fail (or change course) against this issuer. */
export type ChatGptVerdicts = Partial<Record<ConnectStepId, string>>

export interface ChatGptPlan {
  /** True when the issuer advertises RFC 9207 `iss`: ChatGPT then uses its stable redirect and client. */
  stable: boolean
  redirectPath: string
  documentClient: MetadataDocumentClient | undefined
  verdicts: ChatGptVerdicts
}

const supported = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : [])

/** What ChatGPT would do against the discovered authorization server, and where it would fail. */
export function planChatGpt(
  profile: ChatGptProfileOptions,
  discovery: OAuthDiscoveryState | undefined,
): ChatGptPlan {
  const metadata = (discovery?.authorizationServerMetadata ?? {}) as Record<string, unknown>
  const stable = metadata.authorization_response_iss_parameter_supported === true
  const callbackId = stable ? undefined : randomBytes(6).toString('hex')
  const documentUrl = profile.document.documentUrl(profile.documentBaseUrl(), callbackId)
  const cimd = metadata.client_id_metadata_document_supported === true
  const authMethods = supported(metadata.token_endpoint_auth_methods_supported)
  const verdicts: ChatGptVerdicts = {}
  if (!stable) {
    verdicts.authorization =
      'The issuer does not advertise RFC 9207 "iss" (authorization_response_iss_parameter_supported): ' +
      'ChatGPT falls back to a per-connector redirect and client id; a missing "iss" is a mix-up risk.'
  }
  if (!cimd && !metadata.registration_endpoint) {
    verdicts.registration =
      'ChatGPT would fail here: the issuer offers neither Client ID Metadata Documents nor dynamic ' +
      'registration, so ChatGPT cannot obtain a client id (pre-register one and enter it in ChatGPT).'
  }
  if (
    cimd &&
    authMethods.length &&
    !authMethods.includes('private_key_jwt') &&
    !authMethods.includes('none')
  ) {
    verdicts.token =
      'ChatGPT would fail here: its document authenticates with private_key_jwt or none, and the ' +
      `issuer accepts only ${authMethods.join(', ')}.`
  }
  const https = documentUrl.startsWith('https://')
  const documentClient =
    cimd && https
      ? { clientId: documentUrl, addClientAuthentication: profile.document.signer(documentUrl) }
      : undefined
  if (cimd && !https) {
    verdicts.registration =
      'ChatGPT would use its Client ID Metadata Document here; the Workbench stand-in is served over ' +
      'http (no tunnel), which no issuer accepts as a client id, so Connect registered by DCR instead. ' +
      'Start the tunnel to test the CIMD path.'
  }
  return {
    stable,
    redirectPath: stable ? '/connector_platform_oauth_redirect' : `/connector/oauth/${callbackId}`,
    documentClient,
    verdicts,
  }
}

/**
 * The scope ChatGPT asks for: the server's (a challenge's, else the resource's `scopes_supported`, the
 * spec's scope strategy) plus the OIDC scopes the issuer advertises.
 */
export function chatGptScope(
  scope: string | undefined,
  discovery: OAuthDiscoveryState | undefined,
): string | undefined {
  const offered = supported(discovery?.authorizationServerMetadata?.scopes_supported)
  const oidc = OIDC_SCOPES.filter((s) => offered.includes(s))
  const server = scope ?? supported(discovery?.resourceMetadata?.scopes_supported).join(' ')
  const all = [...new Set([...server.split(' ').filter(Boolean), ...oidc])]
  return all.length ? all.join(' ') : undefined
}

/** Recognises a refused `resource` (Entra's AADSTS9010010, RFC 8707 `invalid_target`). */
export function resourceRefused(message: string): boolean {
  return /invalid_target|AADSTS9010010|AADSTS500011|resource parameter/i.test(message)
}
