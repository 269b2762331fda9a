import type { IncomingMessage, ServerResponse } from 'node:http'

/**
 * A request handler the core server routes a path prefix to (the development issuer under `/oauth`).
 * `req.url` keeps the full path. Mounts are reachable through the public URL.
 */
export interface HttpMount {
  prefix: string
  handle(req: IncomingMessage, res: ServerResponse): void | Promise<void>
}
