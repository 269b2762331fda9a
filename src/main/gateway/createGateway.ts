import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Upstream, WorkbenchConfig } from '../../shared/config'
import type {
  GatewayStatus,
  UpstreamLegEvent,
  UpstreamTestResult,
  UpstreamToolSummary,
} from '../../shared/gateway'
import type { EffectiveWidgetAuth } from '../widgets/widgetAuth'
import type { SessionLimits } from './boundedSessions'
import { createHttpRelay } from './httpRelay'
import { createModernListeners } from './modernListeners'
import type { Caller, IdentitySigner } from './identityToken'
import { createStdioRelay } from './stdioRelay'
import { describeUpstream, upstreamAudience } from './upstreamFlags'
import type { JsonRpcMessage } from './jsonRpcShapes'
import {
  CLIENT_WENT_AWAY,
  type RelayOptions,
  type UpstreamLeg,
  type UpstreamRelay,
} from './upstreamRelay'
import {
  effectiveToolAuth,
  permissivenessWarning,
  mergeListedTools,
  rewriteToolsList,
  templateCsp,
  toUpstreamTool,
  type UpstreamTemplate,
  type UpstreamTool,
} from './upstreamTools'

export interface GatewayOptions {
  upstream: NonNullable<Upstream>
  config(): WorkbenchConfig
  authOn(): boolean
  /** Signs the caller's identity for the upstream; absent, no identity is forwarded. */
  signer?: IdentitySigner
  logLine(line: string): void
  /** Status or the upstream's tools changed. */
  onChange(): void
  /** Client sessions kept, overall and per source. */
  sessionLimits?: SessionLimits
}

export interface GatewayCall {
  req: IncomingMessage
  res: ServerResponse
  body: unknown
  /** The verified caller to speak for upstream; null for anonymous (and for optional tools run anonymously). */
  caller: Caller | null
  /** Who sent it (peer address or the tunnel's caller): sessions are capped per source. */
  source?: string
  /** Told the upstream leg (and the upstream's answer) before the client's answer ends, for the log. */
  onLeg?(leg: UpstreamLegEvent, answer?: JsonRpcMessage): void
  /** See RelayCall: the call decided again after the upstream restarted. */
  stillAllowed?(): Promise<boolean>
}

export interface Gateway {
  readonly upstream: NonNullable<Upstream>
  /** How messages name the upstream: its URL or command line. */
  readonly label: string
  relay(call: GatewayCall): Promise<UpstreamLegEvent | null>
  /** The upstream's tools from its last good tools/list. */
  tools(): UpstreamTool[]
  refreshTools(): Promise<UpstreamTool[]>
  /** The upstream tool and the mode in force; an unknown name refreshes the list once (it may have changed). */
  toolAuth(name: string): Promise<{ tool: UpstreamTool | null; auth: EffectiveWidgetAuth }>
  toolSummaries(): UpstreamToolSummary[]
  /** Tells connected clients the tool list changed (a mode changed here). */
  notifyToolsChanged(): void
  /** A widget tool's template, read from the upstream with resources/read (for Preview). */
  readTemplate(name: string): Promise<UpstreamTemplate>
  status(): GatewayStatus
  close(): Promise<void>
}

function createRelay(upstream: NonNullable<Upstream>, options: RelayOptions): UpstreamRelay {
  return 'url' in upstream
    ? createHttpRelay(upstream, options)
    : createStdioRelay(upstream, options)
}

/** Gateway mode: the Workbench decides, the developer's own server serves. */
export function createGateway(options: GatewayOptions): Gateway {
  const { upstream } = options
  const label = describeUpstream(upstream)
  const audience = upstreamAudience(upstream)
  let tools: UpstreamTool[] = []
  let refreshing: Promise<UpstreamTool[]> | null = null
  let lastUnknownRefresh = 0
  /** Why the last relayed call got no answer from the upstream (shown on Overview); null once one did. */
  let callFailure: string | null = null
  const noteLeg = (leg: UpstreamLeg) => {
    const failure = leg.error === CLIENT_WENT_AWAY ? callFailure : leg.error
    if (failure === callFailure) return
    callFailure = failure
    options.onChange()
  }
  const authFor = (tool: Pick<UpstreamTool, 'name' | 'declaredMode' | 'declaredScopes'>) =>
    effectiveToolAuth(tool, options.config(), options.authOn())

  const listenStreams = createModernListeners()
  const relay = createRelay(upstream, {
    label,
    listenStreams,
    timeoutMs: () => options.config().server.handlerTimeoutMs,
    rewriteToolsList(result) {
      const merged = mergeListedTools(tools, result)
      if (merged) {
        tools = merged
        options.onChange()
      }
      return rewriteToolsList(result, authFor)
    },
    onToolsChanged: () => void refreshTools().catch(() => {}),
    onStatusChange: options.onChange,
    logLine: options.logLine,
    sessionLimits: options.sessionLimits,
  })

  function refreshTools(): Promise<UpstreamTool[]> {
    refreshing ??= (async () => {
      try {
        const all: UpstreamTool[] = []
        let cursor: string | undefined
        do {
          const answer = await relay.request('tools/list', cursor ? { cursor } : undefined)
          const result = (answer.result ?? {}) as { tools?: unknown[]; nextCursor?: unknown }
          if (answer.error || !Array.isArray(result.tools))
            throw new Error(
              `tools/list failed: ${JSON.stringify(answer.error ?? answer.result).slice(0, 200)}`,
            )
          for (const t of result.tools)
            if (t && typeof t === 'object' && typeof (t as { name?: unknown }).name === 'string')
              all.push(toUpstreamTool(t as Record<string, unknown>))
          cursor = typeof result.nextCursor === 'string' ? result.nextCursor : undefined
        } while (cursor && all.length < 10_000)
        tools = all
        options.onChange()
        return all
      } finally {
        refreshing = null
      }
    })()
    return refreshing
  }
  async function toolAuth(name: string): ReturnType<Gateway['toolAuth']> {
    // The upstream said its tools changed: decide on the new list, never on the one it replaces.
    if (refreshing) await refreshing.catch(() => {})
    let tool = tools.find((t) => t.name === name) ?? null
    // Unknown names refresh the list (it may have changed), at most every 2 s: callers choose names freely.
    if (!tool && Date.now() - lastUnknownRefresh > 2000) {
      lastUnknownRefresh = Date.now()
      tool = (await refreshTools().catch(() => tools)).find((t) => t.name === name) ?? null
    }
    // A tool the upstream does not list is held to `inherit`: never less strict than the default.
    return { tool, auth: authFor(tool ?? { name, declaredMode: 'inherit', declaredScopes: [] }) }
  }

  void refreshTools().catch((err: Error) => options.logLine(`Gateway: ${err.message}`))

  return {
    upstream,
    label,
    async relay(call) {
      const identity =
        call.caller && options.signer ? await options.signer.sign(call.caller, audience) : null
      const toEvent = ({ answer: _answer, ...leg }: UpstreamLeg): UpstreamLegEvent => ({
        ...leg,
        latencyMs: Math.round(leg.latencyMs * 100) / 100,
        identityForwarded: identity !== null,
      })
      const onLeg = (leg: UpstreamLeg) => {
        noteLeg(leg)
        call.onLeg?.(toEvent(leg), leg.answer)
      }
      const leg = await relay.relay({
        req: call.req,
        res: call.res,
        signedIn: call.caller !== null,
        source: call.source,
        body: call.body,
        identity,
        onLeg,
        stillAllowed: call.stillAllowed,
      })
      return leg && toEvent(leg)
    },
    tools: () => tools,
    refreshTools,
    toolAuth,
    notifyToolsChanged() {
      relay.notifyToolsChanged()
      listenStreams.publish('notifications/tools/list_changed')
    },
    toolSummaries: () => tools.map((t) => summarize(t, authFor(t))),
    async readTemplate(name) {
      const { tool } = await toolAuth(name)
      if (!tool?.templateUri) throw new Error(`The upstream tool ${name} declares no template`)
      const answer = await relay.request('resources/read', { uri: tool.templateUri })
      const contents = (answer.result as { contents?: Record<string, unknown>[] } | undefined)
        ?.contents
      const entry = contents?.find((c) => typeof c.text === 'string')
      if (!entry) {
        const why = answer.error ? JSON.stringify(answer.error) : 'no text contents'
        throw new Error(`Upstream ${label}: resources/read ${tool.templateUri}: ${why}`)
      }
      return {
        uri: tool.templateUri,
        mimeType: typeof entry.mimeType === 'string' ? entry.mimeType : null,
        html: entry.text as string,
        csp: templateCsp(entry._meta),
      }
    },
    status() {
      const s = relay.status()
      const failing = s.state === 'ready' && callFailure !== null
      return {
        kind: 'url' in upstream ? 'http' : 'stdio',
        target: label,
        state: failing ? 'failed' : s.state,
        error: failing ? callFailure : s.error,
        pid: s.pid,
        restarts: s.restarts,
        stderrTail: s.stderrTail,
        toolCount: tools.length,
        sessions: relay.sessionCount(),
      }
    },
    close() {
      listenStreams.close()
      return relay.close()
    },
  }
}

function summarize(tool: UpstreamTool, auth: EffectiveWidgetAuth): UpstreamToolSummary {
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    isWidget: tool.isWidget,
    templateUri: tool.templateUri,
    declaredMode: tool.declaredMode,
    declaredScopes: tool.declaredScopes,
    effectiveMode: auth.mode,
    effectiveScopes: auth.scopes,
    warning: permissivenessWarning(tool, auth),
  }
}

/** "Test connection": lists an upstream's tools through a throwaway connection. */
export async function testUpstream(
  upstream: NonNullable<Upstream>,
  config: WorkbenchConfig,
  authOn: boolean,
): Promise<UpstreamTestResult> {
  const started = performance.now()
  const gateway = createGateway({
    upstream,
    config: () => config,
    authOn: () => authOn,
    logLine: () => {},
    onChange: () => {},
  })
  try {
    await gateway.refreshTools()
    return {
      ok: true,
      tools: gateway.toolSummaries(),
      latencyMs: Math.round(performance.now() - started),
    }
  } catch (err) {
    return { ok: false, error: (err as Error).message }
  } finally {
    await gateway.close()
  }
}
