/**
 * Issuer URL shapes of common providers, and what each needs so its tokens pass the token rules.
 */

/** A provider's issuer URL shape and what it needs so its access tokens pass the rules above. */
export interface IssuerPreset {
  provider: 'auth0' | 'okta' | 'entra' | 'cognito' | 'keycloak'
  label: string
  /** The issuer URL with `{placeholders}`. */
  template: string
  /**
   * `fill`: a value most users keep (filled in up front); without it the placeholder shows in
   * capitals.
   */
  fields: { name: string; label: string; example: string; fill?: string }[]
  /** What the provider needs so tokens carry the audience and pass as access tokens. */
  audienceHint: string
}

export const ISSUER_PRESETS: IssuerPreset[] = [
  {
    provider: 'auth0',
    label: 'Auth0',
    template: 'https://{tenant}.{region}.auth0.com/',
    fields: [
      { name: 'tenant', label: 'Tenant', example: 'dev-abc123' },
      { name: 'region', label: 'Region', example: 'us', fill: 'us' },
    ],
    audienceHint:
      'Create an API whose identifier is the audience (the MCP URL) and make it the tenant ' +
      'default audience: without one Auth0 issues encrypted tokens only it can read. For scopes, ' +
      'enable RBAC and "Add Permissions in the Access Token".',
  },
  {
    provider: 'okta',
    label: 'Okta',
    template: 'https://{domain}/oauth2/{authorizationServerId}',
    fields: [
      { name: 'domain', label: 'Okta domain', example: 'dev-123456.okta.com' },
      {
        name: 'authorizationServerId',
        label: 'Authorization server ID',
        example: 'default',
        fill: 'default',
      },
    ],
    audienceHint:
      'Use a custom authorization server (…/oauth2/default), not the org server: only it issues ' +
      'access tokens for your API. Set its audience to the MCP URL.',
  },
  {
    provider: 'entra',
    label: 'Microsoft Entra ID',
    template: 'https://login.microsoftonline.com/{tenantId}/v2.0',
    fields: [
      { name: 'tenantId', label: 'Tenant ID', example: '00000000-0000-0000-0000-000000000000' },
    ],
    audienceHint:
      'Expose an API in the app registration and request v2 tokens (accessTokenAcceptedVersion: ' +
      '2); their aud is the application ID, so set the audience to it. Entra has no dynamic ' +
      'client registration.',
  },
  {
    provider: 'cognito',
    label: 'AWS Cognito',
    template: 'https://cognito-idp.{region}.amazonaws.com/{userPoolId}',
    fields: [
      { name: 'region', label: 'Region', example: 'us-east-1' },
      { name: 'userPoolId', label: 'User pool ID', example: 'us-east-1_AbCdEfGhI' },
    ],
    audienceHint:
      'Cognito access tokens carry no aud: set the audience to the app client ID and the ' +
      'Workbench matches their client_id instead. Send the access token: ID tokens (token_use ' +
      '"id") are refused. Cognito has no dynamic client registration; use a resource server with ' +
      'custom scopes.',
  },
  {
    provider: 'keycloak',
    label: 'Keycloak',
    template: 'https://{host}/realms/{realm}',
    fields: [
      { name: 'host', label: 'Host', example: 'keycloak.example.com' },
      { name: 'realm', label: 'Realm', example: 'mcp' },
    ],
    audienceHint:
      'Add an audience mapper (client scope) that puts the MCP URL into aud; Keycloak 26+ can ' +
      'honour the resource parameter.',
  },
]

/** Fills a preset's placeholders; unknown placeholders stay as they are. */
export function fillIssuerPreset(preset: IssuerPreset, values: Record<string, string>): string {
  return preset.template.replace(
    /\{(\w+)\}/g,
    (whole, name: string) => values[name]?.trim() || whole,
  )
}

/**
 * The preset's URL to start typing from: kept defaults filled, the rest as CAPITAL_PLACEHOLDERS.
 */
export function presetStartUrl(preset: IssuerPreset): string {
  const values = Object.fromEntries(
    preset.fields.map((f) => [f.name, f.fill ?? placeholderOf(f.name)]),
  )
  return fillIssuerPreset(preset, values)
}

/** The capital placeholders of `presetStartUrl` still in `url`. */
export function unfilledPlaceholders(preset: IssuerPreset, url: string): string[] {
  return preset.fields.map((f) => placeholderOf(f.name)).filter((p) => url.includes(p))
}

function placeholderOf(name: string): string {
  return name.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()
}
