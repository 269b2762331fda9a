import type { AuthMode } from './config'

/** The gateway's connection to the developer's own MCP server, as Overview and Widgets show it. */
export interface GatewayStatus {
  kind: 'http' | 'stdio'
  /** The upstream's URL or command line. */
  target: string
  state: 'starting' | 'ready' | 'restarting' | 'failed' | 'stopped'
  /** The last failure, naming the cause (unreachable, timeout, crash, HTTP 5xx, malformed answer). */
  error: string | null
  /** Pid of a stdio upstream while it runs. */
  pid: number | null
  /** How often a stdio upstream was restarted after dying. */
  restarts: number
  /** The last lines a stdio upstream wrote to stderr. */
  stderrTail: string[]
  /** Tools the upstream lists (last good list). */
  toolCount: number
  /** Client sessions open through the gateway. */
  sessions: number
}

/** One upstream tool beside the mode the Workbench applies to it. */
export interface UpstreamToolSummary {
  name: string
  title: string | null
  description: string | null
  /** Renders a widget (`_meta.ui.resourceUri` or `openai/outputTemplate`). */
  isWidget: boolean
  templateUri: string | null
  /** What the upstream declares in securitySchemes (`inherit` when nothing). */
  declaredMode: AuthMode
  declaredScopes: string[]
  effectiveMode: Exclude<AuthMode, 'inherit'>
  effectiveScopes: string[]
  /** Set when the Workbench is more permissive than the upstream. */
  warning: string | null
}

/** The answer of "Test connection". */
export type UpstreamTestResult =
  { ok: true; tools: UpstreamToolSummary[]; latencyMs: number } | { ok: false; error: string }

/** The upstream leg of a request forwarded in gateway mode (Requests screen). */
export interface UpstreamLegEvent {
  target: string
  /** The upstream's HTTP status; null for stdio or when it never answered. */
  status: number | null
  latencyMs: number
  /** The gateway's failure to get an answer, naming the cause. */
  error: string | null
  /** The upstream's own error (JSON-RPC error or tool isError). */
  upstreamError: string | null
  /** An identity was forwarded (the token never is). */
  identityForwarded: boolean
}
