/** URL shapes of common issuers; the user replaces the capitalised parts. */
export const ISSUER_PRESETS = [
  { id: 'auth0', label: 'Auth0', url: 'https://TENANT.us.auth0.com/', note: 'Create an API whose identifier is your audience; enable RBAC and "Add Permissions in the Access Token".' },
  { id: 'okta', label: 'Okta', url: 'https://YOUR_DOMAIN.okta.com/oauth2/default', note: 'Use a custom authorization server (…/oauth2/default), not the org server: only it issues access tokens for your API.' },
  { id: 'entra', label: 'Entra ID', url: 'https://login.microsoftonline.com/TENANT_ID/v2.0', note: 'Expose an API in the app registration; the audience is its Application ID URI. Tokens must be v2 (accessTokenAcceptedVersion: 2).' },
  { id: 'cognito', label: 'Cognito', url: 'https://cognito-idp.REGION.amazonaws.com/USER_POOL_ID', note: 'Cognito access tokens carry client_id instead of aud: set the audience to the app client id only if your verifier accepts that.' },
  { id: 'keycloak', label: 'Keycloak', url: 'https://KEYCLOAK_HOST/realms/REALM', note: 'Add an audience mapper to the client scope so tokens carry your audience.' },
] as const
