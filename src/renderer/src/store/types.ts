import type { AuditSlice } from './auditSlice'
import type {
  AppState,
  CommandArgs,
  IdentityChoice,
  WidgetCallResult,
} from '../../../shared/contract'
import type { RequestEvent, Verdict, ProtocolEra } from '../../../shared/events'
import type { ForgedToken } from '../../../shared/issuerTypes'
import type { TokenInspection } from '../../../shared/tokenInspection'
import type { ServerTool } from '../preview/previewData'
import type { WidgetResource } from '../preview/widgetResource'

export type Screen =
  'overview' | 'auth' | 'widgets' | 'requests' | 'tokens' | 'preview' | 'tunnel' | 'audit'
export type ThemePreference = 'system' | 'light' | 'dark'
export type ConnectionState = 'connecting' | 'open' | 'closed'
/** How a Connect run starts besides its scope: the profile, `prompt`, a client registered by hand. */
export type ConnectExtra = Omit<CommandArgs<'connect:start'>[0], 'scope'>

export interface Toast {
  id: number
  kind: 'error' | 'info' | 'success'
  title: string
  detail: string | null
}

export interface ConnectionSlice {
  connection: ConnectionState
  /** Why the bridge is down, in words. */
  connectionDetail: string | null
  /** Null until the first `app:getState` answers. */
  app: AppState | null
}

export interface LogFilter {
  text: string
  verdict: Verdict | 'all'
  tool: string | 'all'
  /** MCP protocol era; absent means all. */
  era?: ProtocolEra | 'all'
}

export type { Milestones } from '../../../shared/milestones'
import type { Milestones } from '../../../shared/milestones'

export interface LogSlice {
  events: RequestEvent[]
  selectedEventId: number | null
  filter: LogFilter
  follow: boolean
  milestones: Milestones
  setFilter(patch: Partial<LogFilter>): void
  selectEvent(id: number | null): void
  setFollow(follow: boolean): void
}

export interface UiSlice {
  screen: Screen
  theme: ThemePreference
  toasts: Toast[]
  setScreen(screen: Screen): void
  setTheme(theme: ThemePreference): void
  pushToast(toast: Omit<Toast, 'id'>): void
  dismissToast(id: number): void
}

export type PreviewDisplayMode = 'inline' | 'pip' | 'fullscreen'

export interface HostMessage {
  at: number
  kind: string
  text: string
  /** 'host→view' / 'view→host' for bridge messages; absent for host notes. */
  direction?: string
}

/** A Preview call from "Call widget" to the widget's first paint. */
export interface PreviewCall {
  id: number
  widgetId: string
  state: 'loading' | 'running' | 'done' | 'cancelled' | 'failed'
  clickedAt: number
  paintedAt: number | null
  error: string | null
}

export interface PreviewSlice {
  previewWidgetId: string | null
  previewInputs: Record<string, Record<string, unknown>>
  previewIdentity: IdentityChoice
  previewResult: WidgetCallResult | null
  previewArgs: Record<string, unknown> | null
  previewBusy: boolean
  /** The view of the last call's widget, read from the server as a host reads it. */
  previewTemplate: { widgetId: string; tool: ServerTool; resource: WidgetResource } | null
  previewCall: PreviewCall | null
  /** Things a widget asked of the host that ChatGPT shows around it (modal, open-in-app link, model context). */
  previewNotices: { openInAppUrl: string | null; modelContext: string | null }
  /** A sign-in challenge the widget's own tool call got: Preview shows Connect, then retries. */
  widgetChallenge: { tool: string; result: WidgetCallResult } | null
  /** Waiting for Connect to finish before calling again as the Connect identity. */
  retryAfterConnect: boolean
  /** Bumped on each successful call so the frame re-renders from scratch. */
  previewRenderKey: number
  previewTheme: 'light' | 'dark'
  previewDisplayMode: PreviewDisplayMode
  previewLocale: string
  hostMessages: HostMessage[]
  setPreviewWidget(id: string): void
  setPreviewInput(widgetId: string, input: Record<string, unknown>): void
  setPreviewIdentity(identity: IdentityChoice): void
  setPreviewTheme(theme: 'light' | 'dark'): void
  setPreviewDisplayMode(mode: PreviewDisplayMode): void
  setPreviewLocale(locale: string): void
}

export interface TokensSlice {
  tokenText: string
  inspection: TokenInspection | null
  inspecting: boolean
  forged: ForgedToken | null
  setTokenText(text: string): void
}

export type WorkbenchStore = ConnectionSlice &
  LogSlice &
  UiSlice &
  PreviewSlice &
  TokensSlice &
  AuditSlice
