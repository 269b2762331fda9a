import type { AuthMode } from './config'
import type { GatewayStatus, UpstreamLegEvent } from './gateway'

/**
 * The auth decision for one request.
 * - `allowed`: a verified token, every scope the widget needs.
 * - `anonymous`: no token, and none was needed (or an optional widget ran anonymously).
 * - `challenged`: a required widget called without a token; the tool result carries the sign-in hint.
 * - `insufficient_scope`: a verified token lacking scopes the widget requires (step-up).
 * - `invalid_token`: a token that failed verification; HTTP 401.
 * - `forbidden`: refused before auth (Host/Origin, size, batch).
 * - `error`: the handler failed or the request was malformed.
 */
export type Verdict =
  | 'allowed'
  | 'anonymous'
  | 'challenged'
  | 'insufficient_scope'
  | 'invalid_token'
  | 'forbidden'
  | 'error'

/** A decoded token, never the raw one. */
export interface DecodedToken {
  /** First 8 hex characters of the token's SHA-256, to tell tokens apart. */
  fingerprint: string
  header: Record<string, unknown>
  claims: Record<string, unknown>
}

export interface Identity {
  subject: string
  clientId: string | null
  scopes: string[]
  name: string | null
}

/** One HTTP request, as the Requests screen shows it. */
export interface RequestEvent {
  id: number
  /** Epoch milliseconds at arrival. */
  time: number
  method: string
  path: string
  status: number
  latencyMs: number
  /** JSON-RPC method, when the body was a JSON-RPC message. */
  rpcMethod: string | null
  rpcId: string | number | null
  tool: string | null
  widgetMode: Exclude<AuthMode, 'inherit'> | null
  identity: Identity | null
  verdict: Verdict
  /** Why, in words. */
  reason: string
  /** jose's or our code behind the verdict, e.g. ERR_JWT_EXPIRED. */
  reasonCode: string | null
  /** The claim a failed check was about. */
  claim: string | null
  token: DecodedToken | null
  /** Request headers with Authorization redacted. */
  requestHeaders: Record<string, string>
  requestBody: unknown
  responseBody: unknown
  /** Came through the public URL (tunnel) rather than loopback. */
  viaPublicUrl: boolean
  /** Gateway mode: what went to the upstream and how it answered; absent or null when nothing was forwarded. */
  upstream?: UpstreamLegEvent | null
  /** What the log cut when recording the event (a body truncated, nesting cut), in words. */
  notes?: string[]
  /** The stack trace of a handler that threw (never sent to the caller). */
  errorStack?: string
  /** The MCP protocol era and version the client spoke; null for requests that are not MCP. */
  protocol?: ProtocolUse | null
}

/**
 * `legacy`: 2025-era (`initialize`, `Mcp-Session-Id`); `modern`: 2026-07-28 and later
 * (stateless, version in each request's `_meta`).
 */
export type ProtocolEra = 'legacy' | 'modern'

export interface ProtocolUse {
  era: ProtocolEra
  /** The revision named (header, envelope or negotiated), when known. */
  version: string | null
}

export type TunnelState = 'stopped' | 'connecting' | 'online' | 'reconnecting' | 'failed'

export interface TunnelStatus {
  state: TunnelState
  /** Public base URL while online. */
  url: string | null
  /** Plain-language reason when failed. */
  error: string | null
  /** ngrok's error code, e.g. ERR_NGROK_105. */
  errorCode: string | null
  /** True when an authtoken is stored or set in NGROK_AUTHTOKEN; the token itself never leaves main. */
  authtokenSet: boolean
  authtokenSource: 'env' | 'stored' | null
  /** Why the tunnel feature cannot be used here, if it cannot. */
  unavailable: string | null
  /** Warnings worth showing (interstitial page, plaintext storage). */
  warnings: string[]
}

export type IssuerKind = 'dev' | 'off' | 'external'

export interface IssuerStatus {
  kind: IssuerKind
  /** The issuer identifier tokens must carry, when known. */
  issuer: string | null
  state: 'ready' | 'discovering' | 'failed' | 'off'
  error: string | null
  jwksUri: string | null
}

export interface ServerStatus {
  listening: boolean
  localBaseUrl: string
  /** Local MCP endpoint. */
  mcpUrl: string
  publicUrl: string | null
  /** The URL to paste into ChatGPT: public /mcp when there is one. */
  connectorUrl: string | null
  resource: string
  resourceMetadataUrl: string
  audience: string
  sessions: number
  configPath: string | null
  /** The last config file error; the last good config keeps serving. */
  configError: string | null
  /** Keys of the config file the Workbench does not know, each naming the nearest valid key. */
  configWarnings?: string[]
  issuer: IssuerStatus
  /** Gateway mode: the connection to the developer's own server; absent or null when serving local widgets. */
  gateway?: GatewayStatus | null
}

export interface SecurityScheme {
  type: 'oauth2' | 'noauth'
  scopes?: string[]
}

/** A widget as the UI sees it. */
export interface WidgetSummary {
  id: string
  title: string
  description: string
  /** Mode the widget declares for itself. */
  declaredMode: AuthMode
  declaredScopes: string[]
  /** The config override, if any. */
  override: { auth: AuthMode; scopes?: string[] } | null
  /** Mode and scopes in force after override and inherit. */
  effectiveMode: Exclude<AuthMode, 'inherit'>
  effectiveScopes: string[]
  securitySchemes: SecurityScheme[]
  inputSchema: Record<string, unknown>
  templateUri: string
  source: string
  /** Gateway mode: the tool comes from the upstream; `warning` when the Workbench is more permissive than it. */
  upstream?: { isWidget: boolean; warning: string | null } | null
}

/** A widget folder that failed to load, and why. */
export interface WidgetLoadError {
  widget: string
  file: string
  field: string | null
  message: string
}
