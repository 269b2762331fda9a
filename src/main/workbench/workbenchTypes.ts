import type { Upstream } from '../../shared/config'
import type { ServerStatus, WidgetSummary } from '../../shared/events'
import type { WorkbenchGateway } from '../gateway/workbenchGateway'
import type { TokenVerifier } from '../auth/accessToken'
import type { IssuerSource } from '../auth/issuerSource'
import type { ConfigStore } from '../config/configStore'
import type { DevIssuer } from '../issuer/devIssuer'
import type { MilestoneStore } from '../log/milestoneStore'
import type { RequestLog } from '../log/requestLog'
import type { HttpMount } from '../server/httpMount'
import type { effectiveWidgetAuth } from '../widgets/widgetAuth'
import type { WidgetDefinition } from '../widgets/widgetDefinition'
import type { WidgetRegistry } from '../widgets/widgetRegistry'
import type { PublicUrls } from './publicUrls'

export interface WorkbenchOptions {
  /** Config file; null keeps the config in memory. */
  configPath: string | null
  /** Folder for signing keys and secrets. */
  dataDir: string
  /** Override `server.host` from the file. */
  host?: string
  /** Override `server.port` from the file (0 = any free port). */
  port?: number
  /** Override `upstream` from the file (serve's --upstream / --upstream-command). */
  upstream?: Upstream
  /** Folder holding `sample-widgets/`. Default: found next to the code. */
  resourcesDir?: string
  /** Request log capacity. Default 10,000. */
  logCapacity?: number
  /** Where diagnostic lines go (never tokens). */
  logLine?: (line: string) => void
  /** Legacy-session caps (defaults: 1000 in all, 200 per source address). */
  sessionLimits?: { maxSessions?: number; maxPerSource?: number }
}

export interface Workbench {
  config: ConfigStore
  log: RequestLog
  widgets: WidgetRegistry
  /** Checklist facts seen so far (saved in the data folder). */
  milestones: MilestoneStore
  /** Listens, then makes the issuer ready; `listen()` + `ready()` in one. */
  start(): Promise<void>
  /** Listens (port 0 = any free port); requests that need the issuer wait for it. */
  listen(): Promise<void>
  /** Resolves when the selected issuer is set up (the development issuer's keys, discovery started). */
  ready(): Promise<void>
  close(): Promise<void>
  status(): ServerStatus
  onStatusChange(listener: (status: ServerStatus) => void): () => void
  widgetSummaries(): WidgetSummary[]
  onWidgetsChange(listener: () => void): () => void
  /** The verifier in force; null when auth is off. */
  verifier(): TokenVerifier | null
  /** Where tokens come from; null when auth is off. */
  issuerSource(): IssuerSource | null
  /** The development issuer while it is the selected issuer. */
  devIssuer(): DevIssuer | null
  /** Public base URL from the tunnel (in memory; a custom URL is saved in the config instead). */
  setPublicUrl(url: string | null): Promise<void>
  addMount(mount: HttpMount): () => void
  effectiveAuth(widget: WidgetDefinition): ReturnType<typeof effectiveWidgetAuth>
  authOn(): boolean
  /** Every URL the server is known by, as URL values (the string members below are derived from it). */
  urls(): PublicUrls
  resource(): string
  audience(): string
  baseUrl(): string
  localBaseUrl(): string
  mcpUrl(): string
  resourceMetadataUrl(): string
  isPublicHost(host: string | undefined): boolean
  port(): number
  /** The folder for keys, secrets and kept results (audits). */
  dataDir(): string
  /** Gateway mode: the connection to the upstream set in `upstream` (live, follows the config). */
  gateway: WorkbenchGateway
}
