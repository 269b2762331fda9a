import type { CallToolResult } from '@modelcontextprotocol/client'
import type { IdentityChoice, WidgetCallResult } from '../../../shared/contract'
import { isAppCallableTool } from '../../../shared/toolVisibility'
import { ingestConnect } from '../store/ingest'
import { useWorkbench } from '../store/useWorkbench'
import { CommandFailure, run, runOrThrow } from '../store/workbenchApi'
import type { ConnectExtra, HostMessage } from '../store/types'
import { invalidateServerLists, loadWidgetResource, serverLists } from './previewData'
import type { PreviewView } from './previewView'
import { buildArgs, schemaFields } from './schemaFields'

let active: {
  callId: number
  view: PreviewView | null
  pending: CallToolResult | null
  cancelled: boolean
} | null = null
let callSeq = 0
/** Who the current view's own calls run as: the identity of the call that rendered it. */
let viewIdentity: IdentityChoice | null = null

export function currentViewIdentity(): IdentityChoice {
  return viewIdentity ?? useWorkbench.getState().previewIdentity
}

useWorkbench.subscribe((s, prev) => {
  if (s.app?.widgets !== prev.app?.widgets) invalidateServerLists()
})

/** Adds a line to the widget log (the last 300 are kept). */
export function recordHostMessage(m: Omit<HostMessage, 'at'>): void {
  useWorkbench.setState((s) => ({
    hostMessages: [...s.hostMessages, { ...m, at: Date.now() }].slice(-300),
  }))
}

/** True when a call result is the sign-in challenge ChatGPT turns into its Connect step. */
export function isSignInChallenge(result: WidgetCallResult | null): boolean {
  if (!result) return false
  return (
    typeof result.result._meta?.['mcp/www_authenticate'] !== 'undefined' ||
    result.httpError?.status === 401
  )
}

/** The CallToolResult a view gets for a call (an HTTP refusal becomes an error result with the challenge). */
export function toCallToolResult(call: WidgetCallResult): CallToolResult {
  if (!call.httpError) return call.result as CallToolResult
  const { status, body, wwwAuthenticate } = call.httpError
  return {
    isError: true,
    content: [{ type: 'text', text: `HTTP ${status}: ${body}` }],
    ...(wwwAuthenticate ? { _meta: { 'mcp/www_authenticate': [wwwAuthenticate] } } : {}),
  }
}

/** Called by the frame once its view is started: it gets the result now if the call already finished. */
export function attachView(callId: number, view: PreviewView): void {
  if (!active || active.callId !== callId) return void view.teardown(0)
  active.view = view
  if (active.pending) view.deliverResult(active.pending)
  else if (active.cancelled) view.cancel('user action')
}

/** Sends `ui/resource-teardown` to the current view and waits for it (up to a second). */
export async function teardownActiveView(): Promise<string | null> {
  const view = active?.view
  active = null
  if (!view) return null
  const outcome = await view.teardown(1000)
  return outcome === 'skipped' ? null : outcome
}

/** Calls the previewed widget through the real server as the chosen identity, and renders its view. */
export async function callPreview(identity?: IdentityChoice): Promise<void> {
  const s = useWorkbench.getState()
  const widgetId = s.previewWidgetId
  if (!widgetId || s.previewBusy) return
  const widget = s.app?.widgets.find((w) => w.id === widgetId)
  const args = buildArgs(
    widget ? schemaFields(widget.inputSchema) : [],
    s.previewInputs[widgetId] ?? {},
  )
  const who = identity ?? s.previewIdentity
  const clickedAt = performance.timeOrigin + performance.now()
  // Busy from the click on: a second click while the old view tears down would start a second call.
  useWorkbench.setState({ previewBusy: true })
  const teardown = await teardownActiveView()
  viewIdentity = who
  const callId = ++callSeq
  const current = {
    callId,
    view: null as PreviewView | null,
    pending: null as CallToolResult | null,
    cancelled: false,
  }
  active = current
  useWorkbench.setState((st) => ({
    ...(identity ? { previewIdentity: identity } : {}),
    previewBusy: true,
    previewArgs: args,
    previewResult: null,
    previewTemplate: null,
    widgetChallenge: null,
    previewNotices: { openInAppUrl: null, modelContext: null },
    // The previous view's teardown opens the new log, so it stays visible.
    hostMessages: teardown
      ? [{ at: Date.now(), kind: 'teardown', text: `previous view: ${teardown}` }]
      : [],
    previewCall: {
      id: callId,
      widgetId,
      state: 'loading',
      clickedAt,
      paintedAt: null,
      error: null,
    },
    previewRenderKey: st.previewRenderKey + 1,
  }))
  const stillCurrent = (): boolean => active === current
  const call = runOrThrow('widget:call', [widgetId, args, who]).catch((err: unknown) => {
    // A call cancelled on purpose is not a failure worth a toast.
    if (!current.cancelled) {
      const detail = err instanceof Error ? err.message : String(err)
      useWorkbench
        .getState()
        .pushToast({ kind: 'error', title: `Calling ${widgetId} failed`, detail })
    }
    return null
  })
  const view = loadWidgetResource(widgetId, who).then(
    (loaded) => {
      if (!stillCurrent()) return
      useWorkbench.setState((st) => ({
        previewTemplate: { widgetId, ...loaded },
        previewCall:
          st.previewCall?.id === callId ? { ...st.previewCall, state: 'running' } : st.previewCall,
      }))
    },
    (err: unknown) => {
      if (!stillCurrent()) return
      const error = err instanceof Error ? err.message : String(err)
      useWorkbench.setState((st) => ({
        previewCall: st.previewCall && { ...st.previewCall, state: 'failed', error },
      }))
    },
  )
  try {
    const result = await call
    if (!stillCurrent() || current.cancelled) return
    useWorkbench.setState((st) => ({
      previewResult: result,
      previewCall:
        st.previewCall && st.previewCall.state !== 'failed'
          ? { ...st.previewCall, state: 'done' }
          : st.previewCall,
    }))
    if (result && !isSignInChallenge(result)) {
      current.pending = toCallToolResult(result)
      current.view?.deliverResult(current.pending)
    }
    await view
  } finally {
    if (stillCurrent()) useWorkbench.setState({ previewBusy: false })
  }
}

/** "Cancel": the view gets `ui/notifications/tool-cancelled`; the call's late result is dropped. */
export function cancelPreview(): void {
  if (!active || active.pending) return
  active.cancelled = true
  active.view?.cancel('user action')
  void run('preview:cancelCalls', [], { quiet: true })
  useWorkbench.setState((s) => ({
    previewBusy: false,
    previewCall: s.previewCall && { ...s.previewCall, state: 'cancelled' },
  }))
}

const challengeWaiters: ((identity: IdentityChoice | null) => void)[] = []

/**
 * A tool call made by the widget itself (window.openai.callTool / MCP Apps tools/call), as the preview
 * identity. An unknown or not widget-accessible tool gets an error result, as ChatGPT answers; a sign-in
 * challenge shows the Connect step and the call is retried once signed in.
 */
export async function callToolFromWidget(
  name: string,
  args: Record<string, unknown>,
): Promise<CallToolResult> {
  const identity = currentViewIdentity()
  const refuse = (text: string): CallToolResult => ({
    isError: true,
    content: [{ type: 'text', text }],
  })
  const { tools } = await serverLists(identity).catch(() => ({ tools: [] }))
  const tool = tools.find((t) => t.name === name)
  if (!tool) return refuse(`Tool ${name} not found`)
  if (!isAppCallableTool(tool))
    return refuse(`Tool ${name} is not accessible from the widget (openai/widgetAccessible)`)
  let result: WidgetCallResult
  try {
    result = await runOrThrow('widget:call', [name, args, identity])
  } catch (err) {
    return refuse(err instanceof CommandFailure ? err.message : String(err))
  }
  if (!isSignInChallenge(result)) return toCallToolResult(result)
  useWorkbench.setState({ widgetChallenge: { tool: name, result } })
  recordHostMessage({ kind: 'sign-in', text: `${name} asked for sign-in: showing Connect` })
  const signedIn = await new Promise<IdentityChoice | null>((resolve) =>
    challengeWaiters.push(resolve),
  )
  if (!signedIn) return toCallToolResult(result)
  viewIdentity = signedIn
  const retried = await runOrThrow('widget:call', [name, args, signedIn]).catch(() => result)
  return toCallToolResult(retried)
}

/** Runs Connect for the widget's own call, then lets the waiting call retry as the Connect identity. */
export async function connectForWidget(scope?: string, extra: ConnectExtra = {}): Promise<void> {
  const settle = (identity: IdentityChoice | null): void => {
    useWorkbench.setState({
      widgetChallenge: null,
      ...(identity ? { previewIdentity: identity } : {}),
    })
    for (const resolve of challengeWaiters.splice(0)) resolve(identity)
  }
  const started = await run('connect:start', [{ scope, ...extra }], { title: 'Connect failed' })
  if (!started) return settle(null)
  ingestConnect(started)
  const check = (): boolean => {
    const connect = useWorkbench.getState().app?.connect
    if (connect?.state === 'connected') return (settle({ kind: 'connect' }), true)
    if (connect?.state === 'failed') return (settle(null), true)
    return false
  }
  if (check()) return
  const off = useWorkbench.subscribe(
    (st, prev) => st.app?.connect !== prev.app?.connect && check() && off(),
  )
}

/** Retries the widget's challenged call as a development issuer test user. */
export function signInWidgetAs(subject: string): void {
  const identity: IdentityChoice = { kind: 'testUser', subject }
  useWorkbench.setState({ widgetChallenge: null, previewIdentity: identity })
  for (const resolve of challengeWaiters.splice(0)) resolve(identity)
}

/** Gives up on the widget's challenged call: it gets the challenge result. */
export function dismissWidgetChallenge(): void {
  useWorkbench.setState({ widgetChallenge: null })
  for (const resolve of challengeWaiters.splice(0)) resolve(null)
}
