import { WorkbenchError } from '../../shared/errors'
import type { TunnelStatus } from '../../shared/events'
import { describeTunnelError, NO_AUTHTOKEN_MESSAGE } from './describeTunnelError'
import { toForwardFailure, type ForwardedTunnel, type Forwarder } from './forwarder'
import { createNgrokForwarder } from './ngrokForwarder'
import { normalizeAuthtoken } from './normalizeAuthtoken'
import type { SecretStore } from './secretStore'
import { interstitialWarning } from './tunnelWarnings'

/** The secret store entry of the ngrok authtoken. */
export const AUTHTOKEN_SECRET = 'ngrok-authtoken'

export interface TunnelControllerOptions {
  /** The local MCP server's port, read at each start. */
  port: () => number
  /** Local host ngrok forwards to. Default `127.0.0.1`. */
  host?: () => string
  /** Called with the public base URL when online, and null when it goes away (`workbench.setPublicUrl`). */
  onPublicUrl: (url: string | null) => Promise<void> | void
  secretStore: SecretStore
  /** `NGROK_AUTHTOKEN` here beats the stored token. Default `process.env`. */
  env?: NodeJS.ProcessEnv
  /** Default: `@ngrok/ngrok` in a worker thread. */
  forwarder?: Forwarder
  /** How long to wait for ngrok before giving up, in ms. Default 20,000. */
  connectTimeoutMs?: number
  /** Resource domains widgets load assets from (their CSP), for the interstitial warning. Default none. */
  widgetAssetDomains?: () => readonly string[]
  /** Diagnostic lines (never the authtoken). */
  logLine?: (line: string) => void
}

export interface TunnelController {
  status(): TunnelStatus
  /** Starts (or restarts) the tunnel; resolves with the resulting status, `failed` included; rejects only for a malformed domain. */
  start(options?: { domain?: string | null }): Promise<TunnelStatus>
  stop(): Promise<TunnelStatus>
  /** Throws ERR_TUNNEL_AUTHTOKEN for a malformed token, ERR_TUNNEL_PLAINTEXT when storage is plaintext and `allowPlaintext` is not set. */
  setAuthtoken(token: string, options?: { allowPlaintext?: boolean }): Promise<TunnelStatus>
  clearAuthtoken(): Promise<TunnelStatus>
  onChange(listener: (status: TunnelStatus) => void): () => void
  close(): Promise<void>
}

type Run = { id: number; abort: AbortController; tunnel: ForwardedTunnel | null }

/** Starts and stops the ngrok tunnel and publishes its status; the authtoken never leaves this module. */
export function createTunnelController(options: TunnelControllerOptions): TunnelController {
  const env = options.env ?? process.env
  const forwarder = options.forwarder ?? createNgrokForwarder()
  const connectTimeoutMs = options.connectTimeoutMs ?? 20_000
  const host = options.host ?? (() => '127.0.0.1')
  const logLine = options.logLine ?? (() => {})
  const assetDomains = options.widgetAssetDomains ?? (() => [])
  const store = options.secretStore
  const listeners = new Set<(status: TunnelStatus) => void>()

  let storedSet = false
  let current: TunnelStatus = {
    state: 'stopped',
    url: null,
    error: null,
    errorCode: null,
    authtokenSet: false,
    authtokenSource: null,
    unavailable: null,
    warnings: [],
  }
  let run: Run | null = null
  let nextId = 1
  let publishedUrl: string | null = null

  const envToken = () => env.NGROK_AUTHTOKEN?.trim() || null
  update({})
  const loaded = refreshStored()

  async function refreshStored(): Promise<void> {
    storedSet = (await store.get(AUTHTOKEN_SECRET).catch(() => null)) !== null
    update({})
  }

  function warnings(state: Pick<TunnelStatus, 'state' | 'url'>): string[] {
    const out: string[] = []
    const described = store.describe()
    if (described.requiresConsent && described.warning) out.push(described.warning)
    if (state.state === 'online' && state.url) {
      const w = interstitialWarning(state.url, assetDomains())
      if (w) out.push(w)
    }
    return out
  }

  function update(patch: Partial<TunnelStatus>): TunnelStatus {
    const next = { ...current, ...patch }
    next.authtokenSource = envToken() ? 'env' : storedSet ? 'stored' : null
    next.authtokenSet = next.authtokenSource !== null
    next.warnings = warnings(next)
    const changed = JSON.stringify(next) !== JSON.stringify(current)
    current = next
    if (changed) for (const l of listeners) l(current)
    return current
  }

  async function publish(url: string | null): Promise<void> {
    if (url === publishedUrl) return
    publishedUrl = url
    await options.onPublicUrl(url)
  }

  async function authtoken(): Promise<string | null> {
    return envToken() ?? (await store.get(AUTHTOKEN_SECRET))
  }

  async function halt(): Promise<void> {
    const previous = run
    run = null
    if (!previous) return
    previous.abort.abort(new Error('stopped'))
    await previous.tunnel?.close().catch(() => {})
  }

  async function start(startOptions: { domain?: string | null } = {}): Promise<TunnelStatus> {
    const domain = normalizeDomain(startOptions.domain)
    await loaded
    await halt()
    const token = await authtoken()
    if (!token) {
      await publish(null)
      logLine('tunnel: failed ERR_TUNNEL_AUTHTOKEN (no authtoken)')
      return update({
        state: 'failed',
        url: null,
        error: NO_AUTHTOKEN_MESSAGE,
        errorCode: 'ERR_TUNNEL_AUTHTOKEN',
      })
    }
    const checked = normalizeAuthtoken(token)
    if (!checked.ok) {
      await publish(null)
      const where = envToken() ? 'NGROK_AUTHTOKEN: ' : 'The stored authtoken: '
      return update({
        state: 'failed',
        url: null,
        error: where + checked.message,
        errorCode: 'ERR_TUNNEL_AUTHTOKEN',
      })
    }
    const scrub = (text: string) => text.split(checked.token).join('[authtoken]')
    const self: Run = { id: nextId++, abort: new AbortController(), tunnel: null }
    run = self
    const isCurrent = () => run?.id === self.id
    update({ state: 'connecting', url: null, error: null, errorCode: null })
    const timer = setTimeout(
      () =>
        self.abort.abort(new WorkbenchError('ERR_TUNNEL_TIMEOUT', 'ngrok did not answer in time')),
      connectTimeoutMs,
    )
    try {
      const tunnel = await forwarder.forward(
        {
          addr: `${host()}:${options.port()}`,
          authtoken: checked.token,
          ...(domain ? { domain } : {}),
          onStatusChange: (s) => {
            if (!isCurrent() || !self.tunnel) return
            logLine(`tunnel: ${s === 'closed' ? 'reconnecting' : 'online'}`)
            update({ state: s === 'closed' ? 'reconnecting' : 'online' })
          },
          onEnded: (failure) => {
            if (!isCurrent()) return
            run = null
            const d = describeTunnelError(
              { ...failure, message: scrub(failure.message) },
              { domain },
            )
            logLine(`tunnel: failed ${d.errorCode}`)
            void Promise.resolve(publish(null)).catch(() => {})
            update({ state: 'failed', url: null, error: d.message, errorCode: d.errorCode })
          },
          onLog: (line) => {
            if (/^(ERROR|WARN)/.test(line)) logLine(`ngrok: ${scrub(line)}`)
          },
        },
        self.abort.signal,
      )
      clearTimeout(timer)
      if (!isCurrent()) {
        await tunnel.close().catch(() => {})
        return current
      }
      self.tunnel = tunnel
      const url = tunnel.url.replace(/\/$/, '')
      await publish(url)
      logLine(`tunnel: online ${url}`)
      return update({ state: 'online', url, error: null, errorCode: null })
    } catch (err) {
      clearTimeout(timer)
      if (!isCurrent()) return current
      run = null
      const timedOut = self.abort.signal.aborted
      const failure = toForwardFailure(err)
      const d = describeTunnelError(
        { ...failure, message: scrub(failure.message), timedOut },
        { domain, timeoutMs: connectTimeoutMs },
      )
      await publish(null)
      logLine(`tunnel: failed ${d.errorCode}`)
      return update({ state: 'failed', url: null, error: d.message, errorCode: d.errorCode })
    }
  }

  async function stop(): Promise<TunnelStatus> {
    await halt()
    await publish(null)
    if (current.state !== 'stopped') logLine('tunnel: stopped')
    return update({ state: 'stopped', url: null, error: null, errorCode: null })
  }

  return {
    status: () => current,
    start,
    stop,
    async setAuthtoken(input, setOptions = {}) {
      await loaded
      const normalized = normalizeAuthtoken(input)
      if (!normalized.ok) throw new WorkbenchError('ERR_TUNNEL_AUTHTOKEN', normalized.message)
      const described = store.describe()
      if (described.requiresConsent && !setOptions.allowPlaintext) {
        throw new WorkbenchError(
          'ERR_TUNNEL_PLAINTEXT',
          `${described.warning ?? 'The authtoken would be stored unencrypted.'} Confirm to store it anyway.`,
        )
      }
      await store.set(AUTHTOKEN_SECRET, normalized.token)
      storedSet = true
      return update({})
    },
    async clearAuthtoken() {
      await loaded
      await store.clear(AUTHTOKEN_SECRET)
      storedSet = false
      return update({})
    },
    onChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    async close() {
      await stop()
      listeners.clear()
    },
  }
}

/** Accepts `my-app.ngrok.app`, with or without `https://` and a trailing slash. */
function normalizeDomain(domain: string | null | undefined): string | undefined {
  const d = domain
    ?.trim()
    .replace(/^https?:\/\//i, '')
    .replace(/\/+$/, '')
    .toLowerCase()
  if (!d) return undefined
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/.test(d)) {
    throw new WorkbenchError(
      'ERR_TUNNEL_FAILED',
      `"${domain}" is not a domain name. Enter it like my-app.ngrok.app (see https://dashboard.ngrok.com/domains).`,
    )
  }
  return d
}
