import { z } from 'zod'
import {
  AuthModeSchema,
  HttpUpstreamSchema,
  ScopeSchema,
  StdioUpstreamSchema,
  WidgetIdSchema,
  type WorkbenchConfig,
  type WorkbenchConfigInput,
} from './config'
import type { SerializedError } from './errors'
import type {
  RequestEvent,
  ServerStatus,
  TunnelStatus,
  WidgetLoadError,
  WidgetSummary,
} from './events'
import type { ForgedToken, IssuerCheckReport, ConnectState } from './issuerTypes'
import type { TokenInspection } from './tokenInspection'
import { ForgeRequestSchema } from './issuerTypes'
import type { Milestones } from './milestones'
import type { UpstreamTestResult } from './gateway'
import type { AuditProgress, AuditReport } from './audit'
import type { ProjectFolderCheck } from './projectFolder'
import type { PublicUrlProbe } from './publicUrl'

/**
 * The one contract between the UI and the main process. Electron IPC (preload) and the browser-mode
 * WebSocket bridge both serve exactly these commands and events; this file alone spells their names.
 */

/** Who a preview call or a replay runs as. */
export const IdentityChoiceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('anonymous') }),
  /** A development issuer test user, by subject: a valid token is minted for them. */
  z.object({ kind: z.literal('testUser'), subject: z.string().min(1) }),
  /** A pasted or forged token, used as is. */
  z.object({ kind: z.literal('token'), token: z.string().min(1), label: z.string().optional() }),
  /** The identity Connect signed in with. */
  z.object({ kind: z.literal('connect') }),
])
export type IdentityChoice = z.infer<typeof IdentityChoiceSchema>

/** Deep-partial config patch: objects merge, arrays and scalars replace, `null` clears a nullable field. */
export const ConfigPatchSchema = z.record(z.string(), z.unknown())

export const commandArgs = {
  'app:getState': z.tuple([]),
  'config:get': z.tuple([]),
  'config:update': z.tuple([ConfigPatchSchema]),
  'widget:list': z.tuple([]),
  'widget:setAuth': z.tuple([
    WidgetIdSchema,
    z.object({ auth: AuthModeSchema, scopes: z.array(ScopeSchema).optional() }).nullable(),
  ]),
  'widget:getTemplate': z.tuple([WidgetIdSchema]),
  'widget:call': z.tuple([WidgetIdSchema, z.record(z.string(), z.unknown()), IdentityChoiceSchema]),
  'widget:checkFolder': z.tuple([z.string().min(1).max(4096)]),
  /** Any JSON-RPC method on the identity's Preview session, reply returned raw (console, a view's requests). */
  'preview:request': z.tuple([
    z.string().min(1).max(200),
    z.record(z.string(), z.unknown()).optional(),
    IdentityChoiceSchema,
  ]),
  /** Closes Preview's MCP sessions (each with a DELETE). */
  'preview:closeSessions': z.tuple([]),
  /** Cancels Preview's tool calls in flight (the server gets notifications/cancelled). */
  'preview:cancelCalls': z.tuple([]),
  'log:snapshot': z.tuple([]),
  'log:clear': z.tuple([]),
  'log:export': z.tuple([]),
  'log:replay': z.tuple([z.number().int().positive(), IdentityChoiceSchema]),
  'token:inspect': z.tuple([z.string()]),
  'forge:mint': z.tuple([ForgeRequestSchema]),
  'issuer:check': z.tuple([z.string().min(1)]),
  'connect:start': z.tuple([
    z.object({
      scope: z.string().optional(),
      /** "Use another account": ask the issuer to sign in again (`login`) or to pick an account. */
      prompt: z.enum(['login', 'select_account']).optional(),
      /**
       * Behave as ChatGPT does (its CIMD document, redirect rule, scopes, id_token_hint).
       * Absent: the config's `connect.asChatGpt`.
       */
      asChatGpt: z.boolean().optional(),
      /** A client registered by hand at the issuer; the secret is kept in memory only. */
      clientId: z.string().min(1).max(2048).optional(),
      clientSecret: z.string().min(1).max(4096).optional(),
    }),
  ]),
  'connect:reset': z.tuple([]),
  'tunnel:start': z.tuple([z.object({ domain: z.string().min(1).nullable().optional() })]),
  'tunnel:stop': z.tuple([]),
  'tunnel:setAuthtoken': z.tuple([
    z.string().min(1),
    z.object({ allowPlaintext: z.boolean().optional() }),
  ]),
  'tunnel:clearAuthtoken': z.tuple([]),
  'tunnel:setCustomUrl': z.tuple([z.string().nullable()]),
  'tunnel:probePublicUrl': z.tuple([]),
  'shell:openExternal': z.tuple([z.url({ protocol: /^https?$/ })]),
  /** Gateway mode: lists an upstream's tools through a throwaway connection ("Test connection"). */
  'upstream:test': z.tuple([z.union([HttpUpstreamSchema, StdioUpstreamSchema])]),
  /** Audits an MCP server URL as the given identity; progress arrives as `audit:progress` events. */
  'audit:run': z.tuple([
    z.object({
      url: z.url({ protocol: /^https?$/ }),
      identity: IdentityChoiceSchema,
      /** Sign in through the server's own authorization server first (the CLI's --issuer-login). */
      signIn: z.boolean().optional(),
    }),
  ]),
  /** The last audit kept for a server URL, or null. */
  'audit:last': z.tuple([z.url({ protocol: /^https?$/ })]),
} as const

export type Command = keyof typeof commandArgs
/** Arguments as the handler receives them, defaults applied. */
export type CommandArgs<C extends Command> = z.infer<(typeof commandArgs)[C]>
/** Arguments as a caller may send them (optional fields may be left out). */
export type CommandInput<C extends Command> = z.input<(typeof commandArgs)[C]>
export const commandNames = Object.keys(commandArgs) as Command[]

export interface AppState {
  status: ServerStatus
  config: WorkbenchConfig
  widgets: WidgetSummary[]
  widgetErrors: WidgetLoadError[]
  tunnel: TunnelStatus
  connect: ConnectState
  /** Checklist facts seen so far, kept across restarts. */
  milestones: Milestones
  /** Which features this build has; a missing one is shown disabled with its reason. */
  features: Record<
    'devIssuer' | 'forge' | 'connect' | 'tunnel' | 'issuerCheck',
    { available: boolean; reason: string | null }
  >
  mode: 'electron' | 'browser'
}

export interface WidgetCallResult {
  /** The MCP tool result as the server returned it. */
  result: {
    content?: unknown[]
    structuredContent?: Record<string, unknown>
    isError?: boolean
    _meta?: Record<string, unknown>
  }
  /** Set when the call was refused at HTTP level (a token that failed verification). */
  httpError: { status: number; wwwAuthenticate: string | null; body: string } | null
  /** The Requests log id of the tools/call, to jump to it. */
  eventId: number | null
  identityLabel: string
}

/** A JSON-RPC exchange of Preview's raw console. */
export interface PreviewRpcResult {
  /** The message sent, as sent. */
  request: unknown
  /** The server's JSON-RPC reply as received; null for a notification or an HTTP refusal. */
  reply: unknown
  httpError: WidgetCallResult['httpError']
  eventId: number | null
  identityLabel: string
  elapsedMs: number
}

export interface CommandResults {
  'app:getState': AppState
  'config:get': {
    config: WorkbenchConfig
    raw: WorkbenchConfigInput
    path: string | null
    error: string | null
  }
  'config:update': WorkbenchConfig
  'widget:list': { widgets: WidgetSummary[]; errors: WidgetLoadError[] }
  'widget:setAuth': WidgetSummary[]
  'widget:getTemplate': {
    html: string
    csp: { connectDomains: string[]; resourceDomains: string[]; frameDomains?: string[] }
  }
  'widget:call': WidgetCallResult
  'widget:checkFolder': ProjectFolderCheck
  'preview:request': PreviewRpcResult
  'preview:closeSessions': { closed: number }
  'preview:cancelCalls': { cancelled: number }
  'log:snapshot': RequestEvent[]
  'log:clear': null
  'log:export': { fileName: string; json: string }
  'log:replay': WidgetCallResult
  'token:inspect': TokenInspection
  'forge:mint': ForgedToken
  'issuer:check': IssuerCheckReport
  'connect:start': ConnectState
  'connect:reset': ConnectState
  'tunnel:start': TunnelStatus
  'tunnel:stop': TunnelStatus
  'tunnel:setAuthtoken': TunnelStatus
  'tunnel:clearAuthtoken': TunnelStatus
  'tunnel:setCustomUrl': ServerStatus
  'tunnel:probePublicUrl': PublicUrlProbe
  'shell:openExternal': null
  'upstream:test': UpstreamTestResult
  'audit:run': { runId: number }
  'audit:last': AuditReport | null
}

export interface WorkbenchEvents {
  'log:appended': RequestEvent[]
  'log:cleared': null
  'status:changed': ServerStatus
  'config:changed': WorkbenchConfig
  'widgets:changed': { widgets: WidgetSummary[]; errors: WidgetLoadError[] }
  'tunnel:changed': TunnelStatus
  'connect:changed': ConnectState
  'audit:progress': AuditProgress
}
export type WorkbenchEvent = keyof WorkbenchEvents
/** Every event once; typed by `WorkbenchEvents`, so an event added there and not here (or the reverse) fails to compile. */
const EVENTS: { [E in WorkbenchEvent]: true } = {
  'log:appended': true,
  'log:cleared': true,
  'status:changed': true,
  'config:changed': true,
  'widgets:changed': true,
  'tunnel:changed': true,
  'connect:changed': true,
  'audit:progress': true,
}
export const eventNames = Object.keys(EVENTS) as WorkbenchEvent[]

export type CommandResponse<C extends Command> =
  { ok: true; value: CommandResults[C] } | { ok: false; error: SerializedError }

/** What the preload exposes as `window.workbench` and the browser bridge client implements. */
export type WorkbenchApi = {
  [C in Command]: (...args: CommandInput<C>) => Promise<CommandResponse<C>>
} & {
  on<E extends WorkbenchEvent>(
    event: E,
    listener: (payload: WorkbenchEvents[E]) => void,
  ): () => void
}

/** Browser-mode bridge wire messages (WebSocket, JSON). */
export type BridgeClientMessage = { type: 'invoke'; id: number; command: Command; args: unknown[] }
export type BridgeServerMessage =
  | { type: 'result'; id: number; response: CommandResponse<Command> }
  | { type: 'event'; event: WorkbenchEvent; payload: unknown }
