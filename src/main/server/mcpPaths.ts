import type { IncomingMessage, ServerResponse } from 'node:http'
import { sendJson } from '../http/httpHelpers'

export const MCP_PATH = '/mcp'

export function pathOf(req: IncomingMessage): string {
  return (req.url ?? '/').split('?')[0]
}

export function notMcp(res: ServerResponse, path: string): void {
  if (path === '/') {
    const index = {
      name: 'MCP Auth Workbench',
      mcp: MCP_PATH,
      protectedResourceMetadata: '/.well-known/oauth-protected-resource',
    }
    return sendJson(res, 200, index)
  }
  sendJson(res, 404, {
    error: 'not_found',
    message: `Nothing at ${path}. The MCP endpoint is ${MCP_PATH}.`,
  })
}
