import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { selectedIssuer, type WorkbenchConfig } from '../shared/config'
import type { ServerStatus } from '../shared/events'
import { widgetSummaries } from './commands/widgetViews'
import { createConfigStore } from './config/configStore'
import { createMilestoneStore } from './log/milestoneStore'
import { createRequestLog } from './log/requestLog'
import { findResourcesDir } from './resourcesDir'
import { createHostPolicy } from './server/hostPolicy'
import type { HttpMount } from './server/httpMount'
import { effectiveWidgetAuth } from './widgets/widgetAuth'
import type { WidgetDefinition } from './widgets/widgetDefinition'
import { createWidgetRegistry } from './widgets/widgetRegistry'
import { createAuthRuntime } from './workbench/authRuntime'
import {
  authorizationServerMetadata,
  protectedResourceMetadata,
} from './workbench/discoveryMetadata'
import { createMcpServerLifecycle } from './workbench/mcpServerLifecycle'
import { createWorkbenchGateway } from './gateway/workbenchGateway'
import { derivePublicUrls, origin, type PublicUrls } from './workbench/publicUrls'

import type { Workbench, WorkbenchOptions } from './workbench/workbenchTypes'

export type { Workbench, WorkbenchOptions }

/** What `tools/list` is built from: a change here is what connected clients are told about. */
function listInputs(config: WorkbenchConfig): string {
  const { requiredScopes } = config.auth
  return JSON.stringify({
    widgets: config.widgets,
    on: selectedIssuer(config.auth) !== 'off',
    requiredScopes,
  })
}

/** The whole server side of the Workbench, without Electron: used by the app, `serve` and the tests. */
export async function createWorkbench(options: WorkbenchOptions): Promise<Workbench> {
  const logLine = options.logLine ?? (() => {})
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 })
  let tunnelUrl: string | null = null
  const cliOverrides = (c: WorkbenchConfig): WorkbenchConfig => ({
    ...c,
    upstream: options.upstream === undefined ? c.upstream : options.upstream,
    server: {
      ...c.server,
      host: options.host ?? c.server.host,
      port: options.port ?? c.server.port,
      publicUrl: tunnelUrl ?? c.server.publicUrl,
    },
  })
  const config = await createConfigStore({
    path: options.configPath,
    overrides: cliOverrides,
    onWarning: (w) => logLine(`Config: ${w}`),
  })
  const sampleDir = join(options.resourcesDir ?? findResourcesDir(), 'sample-widgets')
  const widgetDir = () => config.get().projectDir ?? sampleDir
  const widgets = await createWidgetRegistry({
    dir: widgetDir(),
    isolate: (dir) => dir !== sampleDir,
  })
  const log = createRequestLog({ capacity: options.logCapacity, limits: () => config.get().log })
  const milestones = await createMilestoneStore({
    path: join(options.dataDir, 'milestones.json'),
    log,
  })
  const statusListeners = new Set<(s: ServerStatus) => void>()
  const mounts: HttpMount[] = []
  let boundPort = 0
  let listening = false
  let closing: Promise<void> | null = null

  // Derived once per config and port (every request reads them): the config object changes on each update.
  let derived: { from: WorkbenchConfig; port: number; urls: PublicUrls } | null = null
  const urls = () => {
    const from = config.get()
    if (derived?.from !== from || derived.port !== boundPort)
      derived = { from, port: boundPort, urls: derivePublicUrls(from, boundPort) }
    return derived.urls
  }
  const baseUrl = () => origin(urls().base)
  const authOn = () => auth.authOn(config.get())
  const effectiveAuth = (w: WidgetDefinition) => effectiveWidgetAuth(w, config.get(), authOn())
  const gateway = createWorkbenchGateway({
    config: () => config.get(),
    authOn,
    dataDir: options.dataDir,
    baseUrl,
    resourceMetadataUrl: () => urls().resourceMetadata.href,
    logLine,
    sessionLimits: options.sessionLimits,
  })
  gateway.onChange(() => emitStatus())

  function addMount(mount: HttpMount): () => void {
    mounts.push(mount)
    return () => {
      const i = mounts.indexOf(mount)
      if (i > -1) mounts.splice(i, 1)
    }
  }

  function status(): ServerStatus {
    const c = config.get()
    const u = urls()
    const upstream = gateway.status()
    return {
      listening,
      localBaseUrl: origin(u.localBase),
      mcpUrl: u.localMcp.href,
      publicUrl: c.server.publicUrl,
      connectorUrl: u.connector?.href ?? null,
      resource: u.resource,
      resourceMetadataUrl: u.resourceMetadata.href,
      audience: u.audience,
      sessions: upstream?.sessions ?? server.sessionCount(),
      configPath: config.path,
      configError: config.lastError(),
      configWarnings: config.warnings(),
      issuer: auth.status(c),
      gateway: upstream,
    }
  }
  const emitStatus = () => {
    const s = status()
    for (const l of statusListeners) l(s)
  }

  const auth = createAuthRuntime({
    dataDir: options.dataDir,
    baseUrl,
    resource: () => urls().resource,
    audience: () => urls().audience,
    addMount,
    onStatusChange: emitStatus,
    logLine,
  })

  const hostPolicy = createHostPolicy(() => {
    const { publicUrl, host, allowedOrigins } = config.get().server
    return { publicUrl, bindHost: host, allowedOrigins }
  })
  const server = createMcpServerLifecycle({
    log,
    widgets: () => widgets.list(),
    widget: (id) => widgets.get(id),
    effectiveAuth,
    handlerTimeoutMs: () => config.get().server.handlerTimeoutMs,
    verifier: async () => {
      await applying
      return auth.verifier()
    },
    isAllowedHost: hostPolicy.isAllowedHost,
    isAllowedOrigin: hostPolicy.isAllowedOrigin,
    isPublicHost: hostPolicy.isPublicHost,
    resourceMetadataUrl: () => urls().resourceMetadata.href,
    protectedResourceMetadata: async () => {
      await applying
      const inputs = {
        config: config.get(),
        urls: urls(),
        source: auth.issuerSource(),
        effectiveAuth,
      }
      // Gateway mode serves the upstream's tools, not the local widgets.
      const upstream = gateway.widgetSummaries()
      return protectedResourceMetadata({
        ...inputs,
        widgets: upstream ? [] : widgets.list(),
        upstreamScopes: upstream?.flatMap((w) => [...w.declaredScopes, ...w.effectiveScopes]),
      })
    },
    authorizationServerMetadata: (path) => authorizationServerMetadata(auth.issuerSource(), path),
    mounts: () => mounts,
    sessionLimits: options.sessionLimits,
    gateway: () => gateway.dispatcher(),
    identityJwks: () => gateway.identityJwks(),
  })

  let applying: Promise<void> = Promise.resolve()
  const reapply = (notify: boolean) => {
    applying = applying
      .then(() => auth.apply(config.get()))
      .catch((err: Error) => logLine(`Auth: ${err.message}`))
      .then(() => {
        if (notify) {
          server.notifyListChanged()
          gateway.current()?.notifyToolsChanged()
        }
        emitStatus()
      })
    return applying
  }
  config.onChange((next, previous) => {
    if (next.projectDir !== previous.projectDir) void widgets.setDir(widgetDir())
    void reapply(listInputs(next) !== listInputs(previous))
    if (listening) void gateway.apply().catch((err: Error) => logLine(`Gateway: ${err.message}`))
  })
  config.onError((message) => {
    if (message) logLine(`Config error (the last good config keeps serving): ${message}`)
    emitStatus()
  })
  widgets.onChange(() => {
    for (const e of widgets.errors()) {
      logLine(`Widget ${e.widget}: ${e.file}${e.field ? ` (${e.field})` : ''}: ${e.message}`)
    }
    server.notifyListChanged()
  })

  async function listen(): Promise<void> {
    const { host, port } = config.get().server
    boundPort = await server.listen(host, port)
    listening = true
    void reapply(false)
    await gateway.apply()
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
    close() {
      closing ??= (async () => {
        listening = false
        await milestones.close()
        config.close()
        widgets.close()
        await auth.close()
        await gateway.close()
        await server.close()
      })()
      return closing
    },
    status,
    onStatusChange(listener) {
      statusListeners.add(listener)
      return () => statusListeners.delete(listener)
    },
    widgetSummaries: () =>
      gateway.widgetSummaries() ?? widgetSummaries(widgets.list(), effectiveAuth),
    onWidgetsChange(listener) {
      const offWidgets = widgets.onChange(listener)
      const offConfig = config.onChange(listener)
      const offGateway = gateway.onChange(listener)
      return () => {
        offWidgets()
        offConfig()
        offGateway()
      }
    },
    verifier: () => auth.verifier(),
    devIssuer: () => auth.devIssuer(),
    issuerSource: () => auth.issuerSource(),
    async setPublicUrl(url) {
      tunnelUrl = url ? url.replace(/\/$/, '') : null
      config.setOverrides(cliOverrides)
      await applying
    },
    addMount,
    effectiveAuth,
    authOn,
    urls,
    resource: () => urls().resource,
    audience: () => urls().audience,
    baseUrl,
    localBaseUrl: () => origin(urls().localBase),
    mcpUrl: () => urls().localMcp.href,
    resourceMetadataUrl: () => urls().resourceMetadata.href,
    isPublicHost: hostPolicy.isPublicHost,
    port: () => boundPort,
    dataDir: () => options.dataDir,
    gateway,
  }
}
