import type { IncomingMessage, Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import type { BridgeServerMessage } from '../../shared/contract'
import {
  BRIDGE_PATH,
  BRIDGE_PROTOCOL,
  BRIDGE_SECRET_PROTOCOL_PREFIX,
} from '../../shared/bridgeProtocol'
import type { CommandHandlers } from '../commands/types'
import type { BridgeSecret } from './createBridgeSecret'
import { dispatchCommand } from './dispatchCommand'
import { serializeMessage } from './serializeMessage'
import type { WorkbenchEventSource } from './eventSource'
import { isLoopbackHostHeader, isLoopbackOrigin } from './loopbackGuard'

export interface AttachBridgeOptions {
  server: Server
  port: () => number
  secret: BridgeSecret
  handlers: CommandHandlers
  events: WorkbenchEventSource
}

export interface Bridge {
  close(): void
}

const MAX_MESSAGE_BYTES = 1024 * 1024
// A client that stops reading is dropped rather than buffered without bound.
const MAX_BUFFERED_BYTES = 32 * 1024 * 1024

function refuse(socket: Duplex, status: 401 | 403 | 404): void {
  const reason = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' }[status]
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
}

function offeredSecret(req: IncomingMessage): string | null {
  const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim())
  if (!offered.includes(BRIDGE_PROTOCOL)) return null
  const carrier = offered.find((p) => p.startsWith(BRIDGE_SECRET_PROTOCOL_PREFIX))
  return carrier ? carrier.slice(BRIDGE_SECRET_PROTOCOL_PREFIX.length) : null
}

/** The authenticated WebSocket endpoint that serves the contract to the browser-mode UI. */
export function attachBridge(options: AttachBridgeOptions): Bridge {
  const { server, secret, handlers } = options
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_MESSAGE_BYTES,
    handleProtocols: () => BRIDGE_PROTOCOL,
  })
  const clients = new Set<WebSocket>()

  const send = (ws: WebSocket, message: BridgeServerMessage): void => {
    if (ws.readyState !== ws.OPEN) return
    if (ws.bufferedAmount > MAX_BUFFERED_BYTES) return void ws.close(1013, 'client too slow')
    const text = serializeMessage(message)
    if (text !== null) ws.send(text)
  }

  const unsubscribe = options.events((event, payload) => {
    for (const ws of clients) send(ws, { type: 'event', event, payload })
  })

  const onConnection = (ws: WebSocket): void => {
    clients.add(ws)
    ws.on('close', () => clients.delete(ws))
    // ws closes the socket itself (1009 too big, 1002 bad frame); unheard, the error would crash main.
    ws.on('error', () => {})
    ws.on('message', (data, isBinary) => {
      let message: { type?: unknown; id?: unknown; command?: unknown; args?: unknown }
      try {
        message = isBinary ? {} : JSON.parse(data.toString())
      } catch {
        message = {}
      }
      if (
        message === null ||
        typeof message !== 'object' ||
        message.type !== 'invoke' ||
        !Number.isSafeInteger(message.id)
      ) {
        return void ws.close(1008, 'malformed message')
      }
      const id = message.id as number
      void dispatchCommand(handlers, message.command, message.args).then((response) =>
        send(ws, { type: 'result', id, response }),
      )
    })
  }

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const port = options.port()
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname
    if (path !== BRIDGE_PATH) return refuse(socket, 404)
    if (!isLoopbackHostHeader(req.headers.host, port)) return refuse(socket, 403)
    const origin = req.headers.origin
    if (origin !== undefined && !isLoopbackOrigin(origin, port)) return refuse(socket, 403)
    if (!secret.matches(offeredSecret(req))) return refuse(socket, 401)
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws))
  }
  server.on('upgrade', onUpgrade)

  return {
    close() {
      unsubscribe()
      server.off('upgrade', onUpgrade)
      for (const ws of clients) ws.terminate()
      wss.close()
    },
  }
}
