import type { AuthMode } from '../../../shared/config'
import type { IdentityChoice } from '../../../shared/contract'
import { ForgeRequestSchema, type ForgeRequest } from '../../../shared/issuerTypes'
import { ingestConnect, ingestStatus, ingestTunnel } from './ingest'
import { CommandFailure, run, runOrThrow } from './workbenchApi'
import { useWorkbench } from './useWorkbench'
import type { ConnectExtra } from './types'

const toast = (
  kind: 'error' | 'info' | 'success',
  title: string,
  detail: string | null = null,
): void => useWorkbench.getState().pushToast({ kind, title, detail })

export async function setWidgetAuth(
  widgetId: string,
  override: { auth: AuthMode; scopes?: string[] } | null,
): Promise<void> {
  const widgets = await run('widget:setAuth', [widgetId, override], {
    title: `Could not change ${widgetId}`,
  })
  if (widgets) useWorkbench.setState((s) => (s.app ? { app: { ...s.app, widgets } } : {}))
}

export async function updateConfig(patch: Record<string, unknown>, what: string): Promise<boolean> {
  const config = await run('config:update', [patch], { title: `Could not save ${what}` })
  if (config) useWorkbench.setState((s) => (s.app ? { app: { ...s.app, config } } : {}))
  return config !== null
}

export { callPreview, callToolFromWidget, isSignInChallenge } from '../preview/previewActions'
import { callPreview } from '../preview/previewActions'

let openedAuthorizationUrl: string | null = null

/** Runs Connect, then calls the previewed widget again as the Connect identity once it is signed in. */
export async function connectAndRetry(scope?: string, extra: ConnectExtra = {}): Promise<void> {
  useWorkbench.setState({ retryAfterConnect: true })
  const settle = (): boolean => {
    const s = useWorkbench.getState()
    if (!s.retryAfterConnect) return true
    const connect = s.app?.connect
    // Browser mode has no system browser to hand the sign-in page to: open it in a tab (the link stays if blocked).
    if (
      connect?.state === 'waitingForBrowser' &&
      connect.authorizationUrl &&
      connect.authorizationUrl !== openedAuthorizationUrl &&
      s.app?.mode === 'browser'
    ) {
      openedAuthorizationUrl = connect.authorizationUrl
      window.open(connect.authorizationUrl, '_blank', 'noopener')
    }
    if (connect?.state === 'connected') {
      useWorkbench.setState({ retryAfterConnect: false })
      void callPreview({ kind: 'connect' })
      return true
    }
    if (connect?.state === 'failed') {
      useWorkbench.setState({ retryAfterConnect: false })
      return true
    }
    return false
  }
  const started = await run('connect:start', [{ scope, ...extra }], { title: 'Connect failed' })
  if (!started) return useWorkbench.setState({ retryAfterConnect: false })
  ingestConnect(started)
  if (settle()) return
  const unsubscribe = useWorkbench.subscribe((s, prev) => {
    if (s.app?.connect === prev.app?.connect && s.retryAfterConnect === prev.retryAfterConnect)
      return
    if (settle()) unsubscribe()
  })
}

export async function resetConnect(): Promise<void> {
  useWorkbench.setState({ retryAfterConnect: false })
  const state = await run('connect:reset', [], { title: 'Could not sign out' })
  if (state) ingestConnect(state)
}

export async function replayEvent(eventId: number, identity: IdentityChoice): Promise<void> {
  const result = await run('log:replay', [eventId, identity], { title: 'Replay failed' })
  if (!result) return
  toast(
    'success',
    `Replayed as ${result.identityLabel}`,
    result.httpError
      ? `HTTP ${result.httpError.status}`
      : result.result.isError
        ? 'The tool returned an error.'
        : 'The tool returned a result.',
  )
  if (result.eventId !== null) useWorkbench.getState().selectEvent(result.eventId)
}

export async function clearLog(): Promise<void> {
  await run('log:clear', [], { title: 'Could not clear the log' })
}

export async function exportLog(): Promise<void> {
  const exported = await run('log:export', [], { title: 'Export failed' })
  if (!exported) return
  const url = URL.createObjectURL(new Blob([exported.json], { type: 'application/json' }))
  const a = document.createElement('a')
  a.href = url
  a.download = exported.fileName
  a.click()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
  toast('success', 'Log exported', `${exported.fileName} (tokens redacted)`)
}

let inspectSeq = 0
/** Inspects pasted text; only the latest answer wins when the user keeps typing. */
export async function inspectToken(text: string): Promise<void> {
  useWorkbench.setState({ tokenText: text })
  const seq = ++inspectSeq
  if (text.trim() === '') return useWorkbench.setState({ inspection: null, inspecting: false })
  useWorkbench.setState({ inspecting: true })
  const inspection = await run('token:inspect', [text.trim()], {
    title: 'Could not inspect the token',
  })
  if (seq !== inspectSeq) return
  useWorkbench.setState({ inspection, inspecting: false })
}

export async function forgeToken(request: ForgeRequest): Promise<void> {
  const forged = await run('forge:mint', [ForgeRequestSchema.parse(request)], {
    title: 'Forge failed',
  })
  if (!forged) return
  useWorkbench.setState({ forged })
  await inspectToken(forged.token)
}

export async function checkIssuer(url: string) {
  return run('issuer:check', [url], { title: 'Issuer check failed' })
}

export async function startTunnel(domain: string | null): Promise<void> {
  const status = await run('tunnel:start', [{ domain }], { title: 'Tunnel did not start' })
  if (status) ingestTunnel(status)
}

export async function stopTunnel(): Promise<void> {
  const status = await run('tunnel:stop', [], { title: 'Tunnel did not stop' })
  if (status) ingestTunnel(status)
}

/** Stores the authtoken; `'needsConsent'` when only plaintext storage is available and the user must agree. */
export async function setAuthtoken(
  token: string,
  allowPlaintext: boolean,
): Promise<'ok' | 'needsConsent' | 'failed'> {
  try {
    const status = await runOrThrow('tunnel:setAuthtoken', [token, { allowPlaintext }])
    ingestTunnel(status)
    toast('success', 'Authtoken saved', status.warnings.find((w) => /plain/i.test(w)) ?? null)
    return 'ok'
  } catch (err) {
    const failure =
      err instanceof CommandFailure ? err : new CommandFailure('ERR_INTERNAL', String(err))
    if (!allowPlaintext && failure.code === 'ERR_TUNNEL_PLAINTEXT') return 'needsConsent'
    toast('error', 'Authtoken not saved', `${failure.message} (${failure.code})`)
    return 'failed'
  }
}

export async function clearAuthtoken(): Promise<void> {
  const status = await run('tunnel:clearAuthtoken', [], { title: 'Could not clear the authtoken' })
  if (status) ingestTunnel(status)
}

export async function setCustomUrl(url: string | null): Promise<boolean> {
  const status = await run('tunnel:setCustomUrl', [url], { title: 'Could not set the public URL' })
  if (!status) return false
  ingestStatus(status)
  if (status.publicUrl)
    toast(
      'success',
      `Public URL in force: ${status.publicUrl}`,
      'Metadata, sign-in challenges and the default audience use it now; saved in the config.',
    )
  else toast('info', 'Custom public URL removed', 'The server answers on its local URL only.')
  return true
}

/** Opens a link for the person: a new tab in browser mode, the system browser in Electron (which denies window.open). */
export async function openExternal(url: string): Promise<void> {
  if (!/^https?:\/\//i.test(url)) return
  if (useWorkbench.getState().app?.mode === 'browser') {
    window.open(url, '_blank', 'noopener,noreferrer')
    return
  }
  await run('shell:openExternal', [url], { title: 'Could not open the link' })
}
