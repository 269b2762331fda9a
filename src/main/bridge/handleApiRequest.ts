import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Command, CommandResponse } from '../../shared/contract'
import type { CommandHandlers } from '../commands/types'
import type { BridgeSecret } from './createBridgeSecret'
import { dispatchCommand } from './dispatchCommand'
import {
  BodyError,
  DEFAULT_MAX_JSON_DEPTH,
  parseJsonWithin,
  readBody,
  sendJsonText,
} from '../http/httpHelpers'

const MAX_BODY_BYTES = 1024 * 1024

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  let text: string
  try {
    text = JSON.stringify(body)
  } catch (err) {
    status = 500
    text = JSON.stringify({
      ok: false,
      error: {
        code: 'ERR_INTERNAL',
        message: `The reply could not be serialized: ${(err as Error).message}`,
      },
    })
  }
  sendJsonText(res, status, text)
}

function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { ok: false, error: { code, message } })
}

function statusOf(response: CommandResponse<Command>): number {
  if (response.ok) return 200
  if (response.error.code === 'ERR_IPC_INVALID') return 400
  return response.error.code === 'ERR_INTERNAL' ? 500 : 422
}

/**
 * The scripting endpoints of the UI server (Host already checked): `POST /api/forge` (body: a ForgeRequest)
 * and `POST /api/invoke/<command>` (body: the argument array). `Authorization: Bearer <secret>` is required,
 * the body must be JSON (so browsers cannot send it cross-origin without a preflight, which is never answered).
 */
export async function handleApiRequest(
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  secret: BridgeSecret,
  handlers: CommandHandlers,
): Promise<void> {
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST')
    return sendError(res, 405, 'ERR_IPC_INVALID', 'Use POST')
  }
  const auth = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')
  if (!secret.matches(auth?.[1]))
    return sendError(res, 401, 'ERR_IPC_UNAUTHORIZED', 'Missing or wrong bearer secret')
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? ''))
    return sendError(res, 415, 'ERR_IPC_INVALID', 'Send Content-Type: application/json')

  let payload: unknown
  try {
    const body = await readBody(req, { maxBytes: MAX_BODY_BYTES })
    payload =
      body.length === 0 ? undefined : parseJsonWithin(body.toString('utf8'), DEFAULT_MAX_JSON_DEPTH)
  } catch (err) {
    if (!(err instanceof BodyError)) throw err
    if (err.kind === 'too_large') return sendError(res, 413, 'ERR_IPC_INVALID', 'Body over 1 MiB')
    return sendError(
      res,
      400,
      'ERR_IPC_INVALID',
      err.kind === 'too_deep' ? `Body ${err.message}` : 'Body is not JSON',
    )
  }

  let command: string
  let args: unknown
  if (pathname === '/api/forge') {
    command = 'forge:mint'
    args = [payload ?? {}]
  } else if (pathname.startsWith('/api/invoke/')) {
    try {
      command = decodeURIComponent(pathname.slice('/api/invoke/'.length))
    } catch {
      return sendError(res, 400, 'ERR_IPC_INVALID', 'Bad command name')
    }
    args = payload ?? []
  } else {
    return sendError(res, 404, 'ERR_IPC_INVALID', 'No such endpoint')
  }
  const response = await dispatchCommand(handlers, command, args)
  sendJson(res, statusOf(response), response)
}
