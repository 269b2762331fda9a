import type { Upstream, WorkbenchConfig } from '../../shared/config'
import type { WidgetSummary } from '../../shared/events'
import type { GatewayStatus, UpstreamTestResult } from '../../shared/gateway'
import { securitySchemesFor } from '../widgets/widgetAuth'
import type { SessionLimits } from './boundedSessions'
import { createGateway, testUpstream, type Gateway } from './createGateway'
import { dispatchToGateway, type GatewayDispatch } from './gatewayDispatch'
import { loadIdentityKey } from './identityKeys'
import { createIdentitySigner, type IdentitySigner } from './identityToken'

export interface WorkbenchGatewayDeps {
  config(): WorkbenchConfig
  authOn(): boolean
  dataDir: string
  /** The Workbench's base URL: the `iss` of forwarded identities. */
  baseUrl(): string
  resourceMetadataUrl(): string
  logLine(line: string): void
  /** Client sessions kept, overall and per source (as on the local server). */
  sessionLimits?: SessionLimits
}

/** Gateway mode inside the Workbench: follows `upstream` in the config, live. */
export interface WorkbenchGateway {
  current(): Gateway | null
  /** Starts, replaces or stops the gateway to match the config. */
  apply(): Promise<void>
  /** The /mcp dispatch while an upstream is set; null serves the local widgets. */
  dispatcher(): GatewayDispatch | null
  identityJwks(): Promise<Record<string, unknown> | null>
  /** The upstream's tools as widgets; null when no upstream is set. */
  widgetSummaries(): WidgetSummary[] | null
  status(): GatewayStatus | null
  test(upstream: NonNullable<Upstream>): Promise<UpstreamTestResult>
  onChange(listener: () => void): () => void
  close(): Promise<void>
}

export function createWorkbenchGateway(deps: WorkbenchGatewayDeps): WorkbenchGateway {
  let gateway: Gateway | null = null
  let applied = 'null'
  let signer: Promise<IdentitySigner> | null = null
  const listeners = new Set<() => void>()
  const emit = () => {
    for (const l of listeners) l()
  }
  const getSigner = () =>
    (signer ??= loadIdentityKey(deps.dataDir).then((key) =>
      createIdentitySigner(key, deps.baseUrl),
    ))

  return {
    current: () => gateway,
    async apply() {
      const upstream = deps.config().upstream
      const key = JSON.stringify(upstream)
      if (key === applied) return
      applied = key
      const previous = gateway
      gateway = null
      await previous?.close()
      if (upstream) {
        gateway = createGateway({
          upstream,
          config: deps.config,
          authOn: deps.authOn,
          signer: await getSigner(),
          logLine: deps.logLine,
          onChange: emit,
          sessionLimits: deps.sessionLimits,
        })
        deps.logLine(`Gateway: in front of ${gateway.label}`)
      }
      emit()
    },
    dispatcher() {
      const current = gateway
      if (!current) return null
      return {
        dispatch: (req, res, body, exchange) =>
          dispatchToGateway(current, req, res, body, exchange, deps.resourceMetadataUrl()),
      }
    },
    async identityJwks() {
      return gateway ? (await getSigner()).jwks() : null
    },
    widgetSummaries() {
      if (!gateway) return null
      return gateway.toolSummaries().map((t) => ({
        id: t.name,
        title: t.title ?? t.name,
        description: t.description ?? '',
        declaredMode: t.declaredMode,
        declaredScopes: t.declaredScopes,
        override: deps.config().widgets[t.name] ?? null,
        effectiveMode: t.effectiveMode,
        effectiveScopes: t.effectiveScopes,
        securitySchemes: securitySchemesFor({ mode: t.effectiveMode, scopes: t.effectiveScopes }),
        inputSchema: gateway?.tools().find((x) => x.name === t.name)?.inputSchema ?? {
          type: 'object',
        },
        templateUri: t.templateUri ?? '',
        source: `upstream ${gateway?.label ?? ''}`,
        upstream: { isWidget: t.isWidget, warning: t.warning },
      }))
    },
    status: () => gateway?.status() ?? null,
    test: (upstream) => testUpstream(upstream, deps.config(), deps.authOn()),
    onChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    async close() {
      applied = 'closed'
      const current = gateway
      gateway = null
      await current?.close()
    },
  }
}
