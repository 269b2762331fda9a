import { mkdir } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { selectedIssuer, type WorkbenchConfig } from '../shared/config'
import type { IssuerStatus, ServerStatus, WidgetSummary } from '../shared/events'
import type { TokenVerifier } from './auth/accessToken'
import { createExternalIssuerSource } from './auth/externalIssuerSource'
import type { IssuerSource } from './auth/issuerSource'
import { loadProjectVerifier } from './auth/loadProjectVerifier'
import { withTokenChecks } from './auth/tokenChecks'
import { createJwtVerifier } from './auth/verifyAccessToken'
import { createConfigStore, type ConfigStore } from './config/configStore'
import type { DevIssuer } from './issuer/devIssuer'
import { createRequestLog, type RequestLog } from './log/requestLog'
import { createMilestoneStore, type MilestoneStore } from './log/milestoneStore'
import { preferSmallHeap } from './log/heapPolicy'
import { createMcpHttpServer } from './server/createMcpHttpServer'
import { createWidgetServer } from './server/createWidgetServer'
import { createHostPolicy } from './server/hostPolicy'
import type { HttpMount } from './server/httpMount'
import { createMcpSessions } from './server/mcpSessions'
import { findResourcesDir } from './resourcesDir'
import { effectiveWidgetAuth, securitySchemesFor } from './widgets/widgetAuth'
import { templateUri } from './widgets/widgetDescriptors'
import { createWidgetRegistry, type WidgetRegistry } from './widgets/widgetRegistry'
import type { WidgetDefinition } from './widgets/widgetDefinition'

export interface WorkbenchOptions {
  /** Config file; null keeps the config in memory. */
  configPath: string | null
  /** Folder for signing keys and secrets. */
  dataDir: string
  /** Override `server.host` from the file. */
  host?: string
  /** Override `server.port` from the file (0 = any free port). */
  port?: number
  /** Folder holding `sample-widgets/`. Default: found next to the code. */
  resourcesDir?: string
  /** Request log capacity. Default 10,000. */
  logCapacity?: number
  /** Where diagnostic lines go (never tokens). */
  logLine?: (line: string) => void
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
}

/** The whole server side of the Workbench, without Electron: used by the app, `serve` and the tests. */
export async function createWorkbench(options: WorkbenchOptions): Promise<Workbench> {
  const logLine = options.logLine ?? (() => {})
  preferSmallHeap()
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 })
  let tunnelUrl: string | null = null
  const cliOverrides = (c: WorkbenchConfig): WorkbenchConfig => ({
    ...c,
    server: { ...c.server, host: options.host ?? c.server.host, port: options.port ?? c.server.port, publicUrl: tunnelUrl ?? c.server.publicUrl },
  })
  const config = await createConfigStore({ path: options.configPath, overrides: cliOverrides, onWarning: (w) => logLine(`Config: ${w}`) })
  const sampleDir = join(options.resourcesDir ?? findResourcesDir(), 'sample-widgets')
  const widgetDir = () => config.get().projectDir ?? sampleDir
  const widgets = await createWidgetRegistry({ dir: widgetDir(), isolate: (dir) => dir !== sampleDir })
  const log = createRequestLog({ capacity: options.logCapacity, limits: () => config.get().log })
  const milestones = await createMilestoneStore({ path: join(options.dataDir, 'milestones.json'), log })
  const statusListeners = new Set<(s: ServerStatus) => void>()
  const mounts: HttpMount[] = []
  let boundPort = 0
  let listening = false
  let issuerSource: IssuerSource | null = null
  let verifier: TokenVerifier | null = null
  let dev: DevIssuer | null = null
  let devMountRemove: (() => void) | null = null

  const localBaseUrl = () => {
    const host = config.get().server.host
    const name = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host
    return `http://${name}:${boundPort || config.get().server.port}`
  }
  const baseUrl = () => (config.get().server.publicUrl ?? localBaseUrl()).replace(/\/$/, '')
  const resource = () => config.get().auth.resourceServerUrl ?? `${baseUrl()}/mcp`
  const audience = () => config.get().auth.audience ?? resource()
  const resourceMetadataUrl = () => `${baseUrl()}/.well-known/oauth-protected-resource/mcp`
  const authOn = () => selectedIssuer(config.get().auth) !== 'off'
  const effectiveAuth = (w: WidgetDefinition) => effectiveWidgetAuth(w, config.get(), authOn())

  const hostPolicy = createHostPolicy(() => ({ publicUrl: config.get().server.publicUrl, bindHost: config.get().server.host, allowedOrigins: config.get().server.allowedOrigins }))
  const sessions = createMcpSessions({
    createServer: () =>
      createWidgetServer({
        widgets: () => widgets.list(),
        widget: (id) => widgets.get(id),
        effectiveAuth,
        resourceMetadataUrl,
        handlerTimeoutMs: () => config.get().server.handlerTimeoutMs,
      }),
  })

  function issuerStatus(): IssuerStatus {
    if (!authOn()) return { kind: 'off', issuer: null, state: 'off', error: null, jwksUri: null }
    return issuerSource?.status() ?? { kind: selectedIssuer(config.get().auth) === 'dev' ? 'dev' : 'external', issuer: null, state: 'discovering', error: null, jwksUri: null }
  }

  function status(): ServerStatus {
    const c = config.get()
    return {
      listening,
      localBaseUrl: localBaseUrl(),
      mcpUrl: `${localBaseUrl()}/mcp`,
      publicUrl: c.server.publicUrl,
      connectorUrl: c.server.publicUrl ? `${c.server.publicUrl.replace(/\/$/, '')}/mcp` : null,
      resource: resource(),
      resourceMetadataUrl: resourceMetadataUrl(),
      audience: audience(),
      sessions: sessions.count(),
      configPath: config.path,
      configError: config.lastError(),
      configWarnings: config.warnings(),
      issuer: issuerStatus(),
    }
  }
  const emitStatus = () => {
    const s = status()
    for (const l of statusListeners) l(s)
  }

  function scopesSupported(): string[] {
    const all = new Set<string>(config.get().auth.requiredScopes)
    for (const w of widgets.list()) for (const s of effectiveAuth(w).scopes) all.add(s)
    return [...all].sort()
  }

  async function protectedResourceMetadata(): Promise<Record<string, unknown> | null> {
    await applying
    const source = issuerSource
    if (!authOn() || !source) return null
    // The identifier exactly as the issuer publishes it (RFC 9207 clients compare it as a string).
    const issuer = await source.resolve().then((r) => r.issuer, () => source.configuredIssuer)
    return {
      resource: resource(),
      authorization_servers: [issuer],
      scopes_supported: scopesSupported(),
      bearer_methods_supported: ['header'],
      resource_name: 'MCP Auth Workbench',
      resource_documentation: `${baseUrl()}/`,
    }
  }

  async function authorizationServerMetadata(path: string): Promise<Record<string, unknown> | null> {
    if (!issuerSource) return null
    const issuerPath = new URL(issuerSource.configuredIssuer).pathname.replace(/\/$/, '')
    const suffix = path.replace(/^\/\.well-known\/(oauth-authorization-server|openid-configuration)/, '')
    // The root copy is for older clients; a path-inserted one only answers for our own issuer's path.
    if (suffix !== '' && suffix !== issuerPath) return null
    try {
      return (await issuerSource.resolve()).metadata
    } catch {
      return null
    }
  }

  async function applyAuth(): Promise<void> {
    const c = config.get()
    const choice = selectedIssuer(c.auth)
    if (choice !== 'dev' && dev) {
      devMountRemove?.()
      await dev.close()
      dev = null
    }
    if (choice === 'off') {
      issuerSource = null
      verifier = null
      return
    }
    if (choice === 'dev') {
      let current = dev
      if (!current) {
        const { createDevIssuer } = await import('./issuer/devIssuer')
        current = await createDevIssuer({ dataDir: options.dataDir, baseUrl: baseUrl(), users: c.devIssuer.users, accessTokenTtlSec: c.devIssuer.accessTokenTtlSec, resource, onStatusChange: emitStatus })
        devMountRemove = addMount(current.mount)
        dev = current
      } else {
        current.setUsers(c.devIssuer.users)
        if (current.issuer() !== `${baseUrl()}/oauth`) await current.setBaseUrl(baseUrl())
      }
      issuerSource = current.source
    } else if (issuerSource?.kind !== 'external' || issuerSource.configuredIssuer !== new URL(choice).href) {
      issuerSource = createExternalIssuerSource(new URL(choice), { onStatusChange: emitStatus })
      void issuerSource.resolve().catch((err: Error) => logLine(`Issuer: ${err.message}`))
    }
    const jwt = createJwtVerifier({ issuer: issuerSource, audience, algorithms: c.auth.algorithms, clockToleranceSec: c.auth.clockToleranceSec })
    const custom = c.projectDir ? await loadProjectVerifier(c.projectDir, jwt, logLine) : null
    verifier = withTokenChecks(custom ?? jwt, c.auth.checks)
  }

  function addMount(mount: HttpMount): () => void {
    mounts.push(mount)
    return () => {
      const i = mounts.indexOf(mount)
      if (i > -1) mounts.splice(i, 1)
    }
  }

  const http = createMcpHttpServer({
    sessions,
    log,
    verifier: async () => {
      await applying
      return verifier
    },
    isAllowedHost: hostPolicy.isAllowedHost,
    isAllowedOrigin: hostPolicy.isAllowedOrigin,
    isPublicHost: hostPolicy.isPublicHost,
    resourceMetadataUrl,
    protectedResourceMetadata,
    authorizationServerMetadata,
    mounts: () => mounts,
  })

  let applying: Promise<void> = Promise.resolve()
  const reapply = () => {
    applying = applying.then(applyAuth).catch((err: Error) => logLine(`Auth: ${err.message}`)).then(() => {
      sessions.notifyListChanged()
      emitStatus()
    })
    return applying
  }
  config.onChange((next, previous) => {
    if (next.projectDir !== previous.projectDir) void widgets.setDir(widgetDir())
    void reapply()
  })
  config.onError((message) => {
    if (message) logLine(`Config error (the last good config keeps serving): ${message}`)
    emitStatus()
  })
  widgets.onChange(() => {
    for (const e of widgets.errors()) logLine(`Widget ${e.widget}: ${e.file}${e.field ? ` (${e.field})` : ''}: ${e.message}`)
    sessions.notifyListChanged()
  })

  async function listen(): Promise<void> {
    const { host, port } = config.get().server
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject)
      http.listen(port, host, () => {
        http.off('error', reject)
        resolve()
      })
    })
    boundPort = (http.address() as AddressInfo).port
    listening = true
    void reapply()
  }

  return {
    config,
    log,
    widgets,
    milestones,
    async start() {
      await listen()
      await applying
    },
    listen,
    ready: () => applying,
    async close() {
      listening = false
      await milestones.close()
      config.close()
      widgets.close()
      await sessions.closeAll()
      await dev?.close()
      await issuerSource?.close?.()
      await new Promise<void>((resolve) => {
        http.close(() => resolve())
        http.closeAllConnections()
      })
    },
    status,
    onStatusChange(listener) {
      statusListeners.add(listener)
      return () => statusListeners.delete(listener)
    },
    widgetSummaries: () =>
      widgets.list().map((w) => {
        const auth = effectiveAuth(w)
        return {
          id: w.id,
          title: w.manifest.title,
          description: w.manifest.description,
          declaredMode: w.manifest.auth.mode,
          declaredScopes: w.manifest.auth.scopes,
          override: auth.override,
          effectiveMode: auth.mode,
          effectiveScopes: auth.scopes,
          securitySchemes: securitySchemesFor(auth),
          inputSchema: w.manifest.inputSchema,
          templateUri: templateUri(w.id),
          source: w.source,
        }
      }),
    onWidgetsChange(listener) {
      const offWidgets = widgets.onChange(listener)
      const offConfig = config.onChange(listener)
      return () => {
        offWidgets()
        offConfig()
      }
    },
    verifier: () => verifier,
    devIssuer: () => dev,
    issuerSource: () => issuerSource,
    async setPublicUrl(url) {
      tunnelUrl = url ? url.replace(/\/$/, '') : null
      config.setOverrides(cliOverrides)
      await applying
    },
    addMount,
    effectiveAuth,
    authOn,
    resource,
    audience,
    baseUrl,
    localBaseUrl,
    mcpUrl: () => `${localBaseUrl()}/mcp`,
    resourceMetadataUrl,
    isPublicHost: hostPolicy.isPublicHost,
    port: () => boundPort,
    dataDir: () => options.dataDir,
  }
}
