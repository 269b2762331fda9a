import { z } from 'zod'
import { DEFAULT_CLOCK_TOLERANCE_SEC } from './tokenRules'
import { isJsonObject, type JsonObject } from './jsonObject'

/** A widget's auth mode. `inherit` = `required` with `auth.requiredScopes` when auth is on, `none` when off. */
export const AuthModeSchema = z.enum(['required', 'optional', 'none', 'inherit'])
export type AuthMode = z.infer<typeof AuthModeSchema>

/** OAuth scope token (RFC 6749 §3.3: printable ASCII, no space, quote or backslash). */
export const ScopeSchema = z
  .string()
  .regex(
    /^[\x21\x23-\x5B\x5D-\x7E]+$/,
    'a scope is one token of printable ASCII without spaces, quotes or backslashes',
  )

export const WidgetIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'a widget identifier is 1-64 letters, digits, "_", "." or "-"')

/** An override of a widget's declared auth mode. `scopes` absent keeps the widget's declared scopes. */
export const WidgetAuthSchema = z.object({
  auth: AuthModeSchema.default('inherit'),
  scopes: z.array(ScopeSchema).optional(),
})
export type WidgetAuth = z.infer<typeof WidgetAuthSchema>

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })

/** Where tokens come from: the embedded development issuer, no auth at all, or an external issuer URL. */
export const IssuerSettingSchema = z.union([z.literal('dev'), z.literal('off'), httpUrl])
export type IssuerSetting = z.infer<typeof IssuerSettingSchema>

export const ASYMMETRIC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
] as const
export const AlgorithmSchema = z.enum(ASYMMETRIC_ALGORITHMS)

export const TokenChecksSchema = z.object({
  /** Refuse tokens whose `sub` is listed. */
  denySubjects: z
    .object({ enabled: z.boolean().default(false), subjects: z.array(z.string()).default([]) })
    .prefault({}),
  /** Refuse a subject's requests past `perMinute` in a sliding minute. */
  rateLimit: z
    .object({
      enabled: z.boolean().default(false),
      perMinute: z.number().int().positive().default(60),
    })
    .prefault({}),
  /** Refuse tokens whose claims do not equal these values (an array claim must contain the value). */
  requiredClaims: z
    .object({
      enabled: z.boolean().default(false),
      claims: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
    })
    .prefault({}),
})
export type TokenChecks = z.infer<typeof TokenChecksSchema>

/** Expected `aud`: any non-empty string (an API identifier, a client ID for Cognito). */
export const AudienceSchema = z.string().min(1)

export const AuthSettingsSchema = z.object({
  /** `"dev"` (embedded development issuer), `"off"`, or an external issuer URL. Absent: `"dev"`. */
  issuer: IssuerSettingSchema.optional(),
  /** Expected `aud`. Absent: the resource URL. */
  audience: AudienceSchema.nullable().optional(),
  /** The protected resource identifier. Absent: `<publicUrl, else local base URL>/mcp`. */
  resourceServerUrl: httpUrl.nullable().default(null),
  /** Scopes of `inherit` widgets when auth is on. */
  requiredScopes: z.array(ScopeSchema).default([]),
  /** Signature algorithms accepted; asymmetric only. */
  algorithms: z
    .array(AlgorithmSchema)
    .min(1)
    .default([...ASYMMETRIC_ALGORITHMS]),
  /** Allowed clock skew for `exp`/`nbf`/`iat`, in seconds. */
  clockToleranceSec: z.number().int().min(0).max(300).default(DEFAULT_CLOCK_TOLERANCE_SEC),
  checks: TokenChecksSchema.prefault({}),
})

export const TestUserSchema = z.object({
  subject: z.string().min(1),
  name: z.string().min(1),
  email: z.string().min(1),
  permissions: z.array(ScopeSchema).default([]),
})
export type TestUser = z.infer<typeof TestUserSchema>

export const DEFAULT_TEST_USERS: TestUser[] = [
  {
    subject: 'dev|alice',
    name: 'Alice Admin',
    email: 'alice@example.test',
    permissions: ['user', 'read:data', 'write:data', 'admin'],
  },
  { subject: 'dev|bob', name: 'Bob Basic', email: 'bob@example.test', permissions: ['user'] },
]

export const DevIssuerSettingsSchema = z.object({
  /** Test users offered on the development issuer's sign-in page. */
  users: z.array(TestUserSchema).min(1).default(DEFAULT_TEST_USERS),
  /** Access token lifetime, in seconds. */
  accessTokenTtlSec: z.number().int().min(10).max(86_400).default(3600),
  /** Client ID Metadata Documents: fetched only from public addresses unless allowed here. */
  cimd: z
    .object({
      /** Also fetch documents from loopback addresses (a local https server of your own). */
      allowLoopback: z.boolean().default(false),
    })
    .prefault({}),
  /** Dynamic client registration limits (anonymous callers reach /oauth/reg through the tunnel). */
  registration: z
    .object({
      /** Registered clients kept; the least recently used is evicted past this. */
      maxClients: z.number().int().min(1).max(100_000).default(500),
      /** Registrations per source address per minute. */
      perMinute: z.number().int().min(1).max(10_000).default(20),
      /** A client that never completes a grant expires after this many seconds. */
      unusedTtlSec: z
        .number()
        .int()
        .min(60)
        .max(30 * 86_400)
        .default(3600),
    })
    .prefault({}),
})

export const TunnelSettingsSchema = z.object({
  /** Reserved ngrok domain for a stable URL; null = a random free domain. */
  domain: z.string().min(1).nullable().default(null),
})

export const ServerSettingsSchema = z.object({
  host: z.string().min(1).default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(8001),
  /** Public base URL (set by the tunnel, or a custom domain). */
  publicUrl: httpUrl.nullable().default(null),
  /** Extra origins allowed to call `/mcp` from a browser. */
  allowedOrigins: z.array(z.string()).default([]),
  /** Maximum time a widget handler may run, in milliseconds. */
  handlerTimeoutMs: z.number().int().min(100).max(600_000).default(10_000),
})

/** The developer's own MCP server over Streamable HTTP. */
export const HttpUpstreamSchema = z.strictObject({
  /** The upstream's MCP endpoint, e.g. `http://127.0.0.1:3001/mcp`. */
  url: httpUrl,
})

/** The developer's own MCP server over stdio: one child process shared by every client. */
export const StdioUpstreamSchema = z.strictObject({
  /** The executable; run directly, never through a shell. */
  command: z.string().min(1),
  args: z.array(z.string()).default([]),
  /** Working directory of the child. Absent: the Workbench's. */
  cwd: z.string().min(1).optional(),
  /** Added to the Workbench's environment for the child. */
  env: z.record(z.string(), z.string()).default({}),
})

/** Gateway mode: the server the Workbench stands in front of; null serves the project or sample widgets. */
export const UpstreamSchema = z.union([HttpUpstreamSchema, StdioUpstreamSchema]).nullable()
export type Upstream = z.infer<typeof UpstreamSchema>
export type HttpUpstream = z.infer<typeof HttpUpstreamSchema>
export type StdioUpstream = z.infer<typeof StdioUpstreamSchema>

export const LogSettingsSchema = z.object({
  /** Approximate bytes the request log may hold; the oldest requests are dropped past it. */
  maxBytes: z
    .number()
    .int()
    .min(1024 * 1024)
    .max(2 * 1024 * 1024 * 1024)
    .default(64 * 1024 * 1024),
  /** Approximate bytes kept of each request and response body; the rest is cut, with the full size noted. */
  maxBodyBytes: z
    .number()
    .int()
    .min(1024)
    .max(16 * 1024 * 1024)
    .default(64 * 1024),
})

export const ConnectSettingsSchema = z.object({
  /** Every Connect (Preview, a widget's own sign-in, Requests) runs as ChatGPT does. */
  asChatGpt: z.boolean().default(false),
})

export const WorkbenchConfigSchema = z.object({
  server: ServerSettingsSchema.prefault({}),
  auth: AuthSettingsSchema.prefault({}),
  devIssuer: DevIssuerSettingsSchema.prefault({}),
  tunnel: TunnelSettingsSchema.prefault({}),
  log: LogSettingsSchema.prefault({}),
  connect: ConnectSettingsSchema.prefault({}),
  widgets: z.record(WidgetIdSchema, WidgetAuthSchema).default({}),
  /** Folder of the developer's own widgets; null serves the sample widgets. */
  projectDir: z.string().min(1).nullable().default(null),
  /** Gateway mode: the developer's own MCP server; null (default) serves the widgets folder. */
  upstream: UpstreamSchema.default(null),
})
export type WorkbenchConfig = z.infer<typeof WorkbenchConfigSchema>
/** The config as written in the file: every field optional. */
export type WorkbenchConfigInput = z.input<typeof WorkbenchConfigSchema>

/** The issuer the config selects; absent means the development issuer. */
export function selectedIssuer(auth: WorkbenchConfig['auth']): IssuerSetting {
  return auth.issuer ?? 'dev'
}

/**
 * An older config file brought up to date, on load: `auth.issuerUrl` (an alias of `auth.issuer`, which wins)
 * folded into `auth.issuer`, and the never-used `tunnel.autoStart` dropped. Anything else is left as is.
 */
export function migrateConfigInput(input: unknown): unknown {
  if (!isJsonObject(input)) return input
  const out: JsonObject = { ...input }
  if (isJsonObject(out.auth) && 'issuerUrl' in out.auth) {
    const { issuerUrl, ...auth } = out.auth
    out.auth =
      auth.issuer === undefined && issuerUrl !== null ? { ...auth, issuer: issuerUrl } : auth
  }
  if (isJsonObject(out.tunnel) && 'autoStart' in out.tunnel) {
    const { autoStart: _unused, ...tunnel } = out.tunnel
    out.tunnel = tunnel
  }
  return out
}

export interface ConfigParseFailure {
  ok: false
  message: string
  issues: { path: string; message: string }[]
}
export type ConfigParseResult = { ok: true; config: WorkbenchConfig } | ConfigParseFailure

/** Validates a config object; the failure names every bad field by its dotted path. */
export function parseConfig(input: unknown): ConfigParseResult {
  const result = WorkbenchConfigSchema.safeParse(migrateConfigInput(input))
  if (result.success) return { ok: true, config: result.data }
  const issues = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(root)',
    message: issue.message,
  }))
  return { ok: false, message: issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues }
}
