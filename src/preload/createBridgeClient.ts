import { BRIDGE_PATH, BRIDGE_PROTOCOL, BRIDGE_SECRET_PROTOCOL_PREFIX } from '../shared/bridgeProtocol'
import {
  commandNames,
  type BridgeClientMessage,
  type BridgeServerMessage,
  type Command,
  type CommandResponse,
  type WorkbenchApi,
  type WorkbenchEvent,
} from '../shared/contract'

export type BridgeConnectionState = 'connecting' | 'open' | 'closed'

/** The contract over the browser-mode WebSocket: `window.workbench`'s twin, plus connection state. */
export type BridgeClient = WorkbenchApi & {
  connectionState(): BridgeConnectionState
  onConnectionChange(listener: (state: BridgeConnectionState) => void): () => void
  close(): void
}

export interface BridgeClientOptions {
  /** The UI server's origin, `http://127.0.0.1:PORT` (in the page: `location.origin`). */
  origin: string
  /** From the URL fragment (`readBridgeSecret(location.hash)`). */
  secret: string
  /** A WebSocket constructor; default the global one. */
  WebSocketImpl?: typeof WebSocket
  /** Delay before reconnecting after a drop, in ms. Default 1000; 0 disables reconnecting. */
  reconnectDelayMs?: number
}

const disconnected = (): CommandResponse<Command> => ({ ok: false, error: { code: 'ERR_IPC_DISCONNECTED', message: 'The Workbench is not reachable' } })

/**
 * Browser-mode implementation of {@link WorkbenchApi}. Calls made while connecting are queued; calls pending when
 * the socket drops resolve with `ERR_IPC_DISCONNECTED` (errors are data, as over IPC). Reconnects after a drop.
 */
export function createBridgeClient(options: BridgeClientOptions): BridgeClient {
  const WebSocketImpl = options.WebSocketImpl ?? WebSocket
  const reconnectDelayMs = options.reconnectDelayMs ?? 1000
  const url = new URL(BRIDGE_PATH, options.origin.replace(/^http/, 'ws')).toString()
  const pending = new Map<number, (response: CommandResponse<Command>) => void>()
  const queued: string[] = []
  const listeners = new Map<WorkbenchEvent, Set<(payload: unknown) => void>>()
  const stateListeners = new Set<(state: BridgeConnectionState) => void>()
  let state: BridgeConnectionState = 'connecting'
  let nextId = 1
  let closedByUser = false
  let socket: WebSocket

  const setState = (next: BridgeConnectionState): void => {
    if (next === state) return
    state = next
    for (const l of stateListeners) l(next)
  }

  const connect = (): void => {
    setState('connecting')
    socket = new WebSocketImpl(url, [BRIDGE_PROTOCOL, `${BRIDGE_SECRET_PROTOCOL_PREFIX}${options.secret}`])
    socket.onopen = () => {
      setState('open')
      for (const text of queued.splice(0)) socket.send(text)
    }
    socket.onmessage = (event) => {
      const message = JSON.parse(String(event.data)) as BridgeServerMessage
      if (message.type === 'result') {
        pending.get(message.id)?.(message.response)
        pending.delete(message.id)
      } else {
        for (const l of listeners.get(message.event) ?? []) l(message.payload)
      }
    }
    // A refused or dropped socket is reported by onclose, which follows.
    socket.onerror = () => {}
    socket.onclose = () => {
      for (const resolve of pending.values()) resolve(disconnected())
      pending.clear()
      queued.length = 0
      setState('closed')
      if (!closedByUser && reconnectDelayMs > 0) setTimeout(() => !closedByUser && connect(), reconnectDelayMs)
    }
  }

  const invoke = (command: Command, args: unknown[]): Promise<CommandResponse<Command>> =>
    new Promise((resolve) => {
      if (state === 'closed') return resolve(disconnected())
      const id = nextId++
      pending.set(id, resolve)
      const text = JSON.stringify({ type: 'invoke', id, command, args } satisfies BridgeClientMessage)
      if (state === 'open') socket.send(text)
      else queued.push(text)
    })

  const commands = Object.fromEntries(commandNames.map((c) => [c, (...args: unknown[]) => invoke(c, args)]))
  connect()

  return {
    ...(commands as unknown as Omit<WorkbenchApi, 'on'>),
    on(event, listener) {
      const set = listeners.get(event) ?? new Set()
      listeners.set(event, set)
      const l = listener as (payload: unknown) => void
      set.add(l)
      return () => void set.delete(l)
    },
    connectionState: () => state,
    onConnectionChange(listener) {
      stateListeners.add(listener)
      return () => void stateListeners.delete(listener)
    },
    close() {
      closedByUser = true
      socket.close()
    },
  }
}
