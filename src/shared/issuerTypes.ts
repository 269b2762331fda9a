import { z } from 'zod'

/** One-click broken variants of a forged token. */
export const ForgeVariantSchema = z.enum(['valid', 'expired', 'notYetValid', 'wrongAudience', 'wrongIssuer', 'badSignature', 'algNone', 'missingScope'])
export type ForgeVariant = z.infer<typeof ForgeVariantSchema>

export const ForgeRequestSchema = z.object({
  variant: ForgeVariantSchema.default('valid'),
  subject: z.string().min(1).default('dev|alice'),
  name: z.string().optional(),
  email: z.string().optional(),
  scopes: z.array(z.string()).default([]),
  /** Which claim carries the scopes. */
  scopeClaim: z.enum(['scope', 'scp', 'permissions']).default('scope'),
  extraClaims: z.record(z.string(), z.unknown()).default({}),
  /** Lifetime, in seconds. */
  lifetimeSec: z.number().int().min(1).max(7 * 86_400).default(3600),
  /** `aud`; absent: the server's audience. */
  audience: z.string().optional(),
})
export type ForgeRequest = z.input<typeof ForgeRequestSchema>

export interface ForgedToken {
  token: string
  variant: ForgeVariant
  header: Record<string, unknown>
  claims: Record<string, unknown>
  /** What the server should say about it, e.g. "expired". */
  expectation: string
  /** False when minted for an external issuer (unsigned or broken variants only). */
  signedByIssuer: boolean
}

export type FindingLevel = 'ok' | 'warn' | 'error' | 'info'

export interface IssuerFinding {
  id: string
  level: FindingLevel
  title: string
  detail: string
  /** What to do about it, in plain words. */
  fix: string | null
}

export interface IssuerCheckReport {
  url: string
  provider: 'auth0' | 'okta' | 'entra' | 'cognito' | 'keycloak' | 'dev' | 'generic'
  findings: IssuerFinding[]
  metadata: Record<string, unknown> | null
}

export type ConnectStepStatus = 'pending' | 'running' | 'ok' | 'failed' | 'skipped'

export interface ConnectStep {
  id: string
  title: string
  status: ConnectStepStatus
  /** Raw material of the step: metadata, request, response (secrets redacted). */
  data: unknown
  /** Why it failed, in plain words. */
  error: string | null
  at: number | null
  /** ChatGPT profile: where ChatGPT would fail (or change course) at this step, and why. */
  warning?: string | null
}

export interface ConnectState {
  state: 'idle' | 'running' | 'waitingForBrowser' | 'connected' | 'failed'
  steps: ConnectStep[]
  /** Authorization URL the user must open, while waiting for the browser. */
  authorizationUrl: string | null
  /** Who Connect signed in as; `expiresAt` in epoch seconds. */
  identity: { subject: string; scopes: string[]; expiresAt: number | null; clientId: string | null } | null
  error: string | null
}

export const IDLE_CONNECT_STATE: ConnectState = { state: 'idle', steps: [], authorizationUrl: null, identity: null, error: null }

/** A provider's issuer URL shape, for the Auth screen's presets. */
export interface IssuerPreset {
  provider: Exclude<IssuerCheckReport['provider'], 'dev' | 'generic'>
  label: string
  /** The issuer URL with `{placeholders}`. */
  template: string
  fields: { name: string; label: string; example: string }[]
  /** What the provider needs so tokens carry the MCP URL as `aud`. */
  audienceHint: string
}

export const ISSUER_PRESETS: IssuerPreset[] = [
  {
    provider: 'auth0', label: 'Auth0', template: 'https://{tenant}.{region}.auth0.com/',
    fields: [{ name: 'tenant', label: 'Tenant', example: 'dev-abc123' }, { name: 'region', label: 'Region', example: 'us' }],
    audienceHint: 'Create an API whose identifier is the MCP URL, and set it as the tenant default audience (or enable the resource parameter compatibility profile).',
  },
  {
    provider: 'okta', label: 'Okta', template: 'https://{domain}/oauth2/{authorizationServerId}',
    fields: [{ name: 'domain', label: 'Okta domain', example: 'dev-123456.okta.com' }, { name: 'authorizationServerId', label: 'Authorization server ID', example: 'default' }],
    audienceHint: 'Use a custom authorization server (not the org server) whose audience is the MCP URL.',
  },
  {
    provider: 'entra', label: 'Microsoft Entra ID', template: 'https://login.microsoftonline.com/{tenantId}/v2.0',
    fields: [{ name: 'tenantId', label: 'Tenant ID', example: '00000000-0000-0000-0000-000000000000' }],
    audienceHint: 'Expose an API (app registration); v2 access tokens carry the application ID as aud, so set auth.audience to it. Entra has no dynamic registration.',
  },
  {
    provider: 'cognito', label: 'AWS Cognito', template: 'https://cognito-idp.{region}.amazonaws.com/{userPoolId}',
    fields: [{ name: 'region', label: 'Region', example: 'us-east-1' }, { name: 'userPoolId', label: 'User pool ID', example: 'us-east-1_AbCdEfGhI' }],
    audienceHint: 'Cognito access tokens carry no aud: set auth.audience to the app client ID (the Workbench then matches client_id, for token_use "access" only). Cognito has no dynamic registration; use a resource server with custom scopes.',
  },
  {
    provider: 'keycloak', label: 'Keycloak', template: 'https://{host}/realms/{realm}',
    fields: [{ name: 'host', label: 'Host', example: 'keycloak.example.com' }, { name: 'realm', label: 'Realm', example: 'mcp' }],
    audienceHint: 'Add an audience mapper (client scope) that puts the MCP URL into aud; Keycloak 26+ can honour the resource parameter.',
  },
]

/** Fills a preset's placeholders; unknown placeholders stay as they are. */
export function fillIssuerPreset(preset: IssuerPreset, values: Record<string, string>): string {
  return preset.template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name]?.trim() || whole)
}
