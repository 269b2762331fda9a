import {
  BRIDGE_PATH,
  BRIDGE_PROTOCOL,
  BRIDGE_SECRET_PROTOCOL_PREFIX,
} from '../../shared/bridgeProtocol'
import {
  commandNames,
  type BridgeClientMessage,
  type BridgeServerMessage,
  type Command,
  type CommandResponse,
  type WorkbenchApi,
  type WorkbenchEvent,
} from '../../shared/contract'

export type BridgeConnectionState = 'connecting' | 'open' | 'closed'

interface SocketLike {
  readyState: number
  send(data: string): void
  close(code?: number, reason?: string): void
  onopen: ((ev: unknown) => void) | null
  onclose: ((ev: { code: number; reason: string }) => void) | null
  onmessage: ((ev: { data: unknown }) => void) | null
  onerror: ((ev: unknown) => void) | null
}

export interface BridgeClientOptions {
  /** e.g. `ws://127.0.0.1:5174`; the bridge path is appended. */
  baseUrl: string
  secret: string
  /** Browser WebSocket by default; tests pass `ws`'s. */
  WebSocketImpl?: new (url: string, protocols: string[]) => SocketLike
  onConnectionChange?: (state: BridgeConnectionState, detail: string | null) => void
  /** Reconnect delays in ms, capped by the last. Default 250 → 5000. */
  backoffMs?: number[]
}

export type BridgeClient = WorkbenchApi & { close(): void }

const OPEN = 1
const DEFAULT_BACKOFF = [250, 500, 1000, 2000, 5000]

function closeDetail(code: number, reason: string): string {
  if (code === 1006)
    return 'The Workbench is not reachable (was `npm run serve` stopped?). Retrying…'
  if (code === 1013) return 'The bridge dropped this tab for reading too slowly. Reconnecting…'
  return `The bridge closed (${code}${reason ? `: ${reason}` : ''}). Reconnecting…`
}

/** The browser-mode `WorkbenchApi`: the contract over the authenticated WebSocket, reconnecting with backoff. */
export function createBridgeClient(options: BridgeClientOptions): BridgeClient {
  const Impl =
    options.WebSocketImpl ??
    (globalThis.WebSocket as unknown as NonNullable<BridgeClientOptions['WebSocketImpl']>)
  const backoff = options.backoffMs ?? DEFAULT_BACKOFF
  const url = `${options.baseUrl.replace(/\/$/, '')}${BRIDGE_PATH}`
  const listeners = new Map<WorkbenchEvent, Set<(payload: unknown) => void>>()
  const pending = new Map<number, (response: CommandResponse<Command>) => void>()
  const outbox: BridgeClientMessage[] = []
  let socket: SocketLike | null = null
  let nextId = 1
  let attempt = 0
  let closed = false
  let timer: ReturnType<typeof setTimeout> | null = null

  const report = (state: BridgeConnectionState, detail: string | null): void =>
    options.onConnectionChange?.(state, detail)

  const connect = (): void => {
    report('connecting', attempt > 0 ? 'Reconnecting to the Workbench…' : null)
    const ws = new Impl(url, [BRIDGE_PROTOCOL, `${BRIDGE_SECRET_PROTOCOL_PREFIX}${options.secret}`])
    socket = ws
    ws.onopen = () => {
      attempt = 0
      for (const message of outbox.splice(0)) ws.send(JSON.stringify(message))
      report('open', null)
    }
    ws.onmessage = (ev) => {
      if (typeof ev.data !== 'string') return
      let message: BridgeServerMessage
      try {
        message = JSON.parse(ev.data) as BridgeServerMessage
      } catch {
        return
      }
      if (message.type === 'result') {
        pending.get(message.id)?.(message.response)
        pending.delete(message.id)
      } else if (message.type === 'event') {
        for (const listener of listeners.get(message.event) ?? []) listener(message.payload)
      }
    }
    ws.onerror = () => {}
    ws.onclose = (ev) => {
      if (socket !== ws) return
      socket = null
      // Commands in flight are lost with the socket: answer them rather than leave callers hanging,
      // and drop the queued ones so a command reported as failed never runs on reconnect.
      outbox.length = 0
      for (const [id, resolve] of pending) {
        resolve({
          ok: false,
          error: {
            code: 'ERR_BRIDGE_DISCONNECTED',
            message: 'The connection to the Workbench dropped before it answered.',
          },
        })
        pending.delete(id)
      }
      if (closed) return report('closed', 'Closed.')
      report('closed', closeDetail(ev.code, ev.reason))
      const delay = backoff[Math.min(attempt, backoff.length - 1)]
      attempt++
      timer = setTimeout(connect, delay)
    }
  }

  const invoke = (command: Command, args: unknown[]): Promise<CommandResponse<Command>> =>
    new Promise((resolve) => {
      const id = nextId++
      pending.set(id, resolve)
      const message: BridgeClientMessage = { type: 'invoke', id, command, args }
      if (socket && socket.readyState === OPEN) socket.send(JSON.stringify(message))
      else outbox.push(message)
    })

  const api = Object.fromEntries(
    commandNames.map((command) => [command, (...args: unknown[]) => invoke(command, args)]),
  ) as unknown as WorkbenchApi
  const client = Object.assign(api, {
    on(event: WorkbenchEvent, listener: (payload: never) => void) {
      const set = listeners.get(event) ?? new Set()
      listeners.set(event, set)
      const wrapped = listener as (payload: unknown) => void
      set.add(wrapped)
      return () => void set.delete(wrapped)
    },
    close() {
      closed = true
      if (timer) clearTimeout(timer)
      socket?.close(1000, 'client closed')
    },
  }) as BridgeClient
  connect()
  return client
}
