import type { AddFinding, Provider } from './issuerFinding'

/** Registration, PKCE, RFC 9207 and token endpoint auth: what ChatGPT needs from the metadata. */
export function checkClientSupport(
  metadata: Record<string, unknown>,
  provider: Provider,
  add: AddFinding,
): void {
  if (typeof metadata.registration_endpoint === 'string')
    add(
      'registration',
      'ok',
      'Dynamic client registration',
      `registration_endpoint: ${metadata.registration_endpoint}.`,
    )
  else if (metadata.client_id_metadata_document_supported === true) {
    add(
      'registration',
      'warn',
      'No dynamic client registration (CIMD only)',
      'The server accepts Client ID Metadata Documents but has no registration_endpoint; clients without CIMD cannot connect.',
      'Enable dynamic client registration if older clients must connect.',
    )
  } else {
    add(
      'registration',
      'error',
      'No dynamic client registration',
      'The metadata has no registration_endpoint: ChatGPT and MCP clients cannot register themselves.',
      registrationFix(provider),
    )
  }

  const methods = Array.isArray(metadata.code_challenge_methods_supported)
    ? (metadata.code_challenge_methods_supported as string[])
    : []
  if (methods.includes('S256'))
    add(
      'pkce',
      'ok',
      'PKCE S256 supported',
      `code_challenge_methods_supported: ${methods.join(', ')}.`,
    )
  else
    add(
      'pkce',
      'error',
      'PKCE S256 not advertised',
      methods.length
        ? `Only ${methods.join(', ')}.`
        : 'code_challenge_methods_supported is missing.',
      'ChatGPT refuses servers that do not list S256 in code_challenge_methods_supported; enable PKCE S256 on the server.',
    )

  if (metadata.authorization_response_iss_parameter_supported === true)
    add(
      'iss-parameter',
      'ok',
      'RFC 9207 iss parameter',
      'The authorization response names the issuer.',
    )
  else
    add(
      'iss-parameter',
      'info',
      'No RFC 9207 iss parameter',
      'ChatGPT then uses its per-connector callback URL (https://chatgpt.com/connector/oauth/…).',
      null,
    )

  const authMethods = metadata.token_endpoint_auth_methods_supported
  if (!Array.isArray(authMethods))
    add(
      'token-auth',
      'warn',
      'Token endpoint auth methods not published',
      'token_endpoint_auth_methods_supported is missing; clients assume client_secret_basic.',
      'Publish token_endpoint_auth_methods_supported (ChatGPT reads it).',
    )
  else add('token-auth', 'ok', 'Token endpoint auth methods', (authMethods as string[]).join(', '))
}

function registrationFix(provider: Provider): string {
  switch (provider) {
    case 'auth0':
      return 'Auth0: Settings → Advanced → enable "OIDC Dynamic Application Registration", and promote the connection to domain level.'
    case 'okta':
      return 'Okta: dynamic registration needs an API token; register the client by hand and give Connect its client ID, or use a gateway.'
    case 'entra':
      return 'Entra ID has no dynamic registration: register an app by hand and use its client ID (pre-registered client).'
    case 'cognito':
      return 'Cognito has no dynamic registration: create an app client by hand and use its client ID.'
    case 'keycloak':
      return 'Keycloak: allow anonymous client registration in Realm settings → Client registration policies (Trusted Hosts).'
    default:
      return 'Enable dynamic client registration (RFC 7591), or register a client by hand and give its client ID.'
  }
}
