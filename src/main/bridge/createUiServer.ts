import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { CommandHandlers } from '../commands/types'
import { attachBridge } from './attachBridge'
import { uiSecurityHeaders } from './contentSecurityPolicy'
import { createBridgeSecret } from './createBridgeSecret'
import type { WorkbenchEventSource } from './eventSource'
import { handleApiRequest } from './handleApiRequest'
import { isLoopbackAddress, isLoopbackHostHeader, isLoopbackOrigin } from './loopbackGuard'
import { resolveUiAsset } from './resolveUiAsset'

export interface UiServerOptions {
  /** The command implementations (`createCommandHandlers(deps)`). */
  handlers: CommandHandlers
  /** The event source (`(emit) => subscribeWorkbenchEvents(deps, emit)`). */
  events: WorkbenchEventSource
  /** The built renderer, `out/renderer`. When it has no index.html, pages say to run `npm run build`. */
  staticDir: string
  /** Loopback only: `127.0.0.1` (default), `::1` or `localhost`; anything else is a TypeError. */
  host?: string
  /** TCP port; 0 (default) picks a free one. Never the MCP port. */
  port?: number
}

export interface UiServer {
  /** The URL to open, secret included: `http://127.0.0.1:PORT/#secret=…`. Print it, never log it elsewhere. */
  readonly url: string
  readonly port: number
  /** The bearer for `/api/*` and the bridge. */
  readonly secret: string
  close(): Promise<void>
}

/**
 * Browser mode: a loopback-only HTTP server, separate from the MCP server, that serves the built UI and runs
 * the contract over an authenticated WebSocket (`/bridge`), plus `POST /api/forge` and `POST /api/invoke/<command>`.
 */
export async function createUiServer(options: UiServerOptions): Promise<UiServer> {
  const host = options.host ?? '127.0.0.1'
  if (!isLoopbackAddress(host))
    throw new TypeError(`The UI server binds loopback only, not ${host}`)
  const secret = createBridgeSecret()
  let port = 0

  const onRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!isLoopbackHostHeader(req.headers.host, port)) {
      res.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8' })
      return void res.end('Forbidden: not a loopback Host')
    }
    const { pathname } = new URL(req.url ?? '/', 'http://127.0.0.1')
    if (pathname.startsWith('/api/')) {
      const origin = req.headers.origin
      if (origin !== undefined && !isLoopbackOrigin(origin, port)) {
        res.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8' })
        return void res.end('Forbidden: foreign Origin')
      }
      return handleApiRequest(req, res, pathname, secret, options.handlers)
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' })
      return void res.end()
    }
    const asset = await resolveUiAsset(options.staticDir, pathname)
    // CSP source expressions cannot name an IPv6 host; 'self' covers the bridge there (CSP3 matches ws: to http:).
    const wsOrigins = [`ws://127.0.0.1:${port}`, `ws://localhost:${port}`]
    res.writeHead(asset.status, {
      ...uiSecurityHeaders(pathname, { connectSrc: wsOrigins }),
      'Content-Type': asset.contentType,
      'Content-Length': asset.body.length,
      'Cache-Control': 'no-store',
    })
    res.end(req.method === 'HEAD' ? undefined : asset.body)
  }

  const server = createServer((req, res) => {
    onRequest(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500)
      res.end()
    })
  })
  const bridge = attachBridge({
    server,
    port: () => port,
    secret,
    handlers: options.handlers,
    events: options.events,
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  port = (server.address() as AddressInfo).port
  const urlHost = host === '::1' ? '[::1]' : host

  return {
    url: `http://${urlHost}:${port}/#secret=${secret.value}`,
    port,
    secret: secret.value,
    async close() {
      bridge.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
