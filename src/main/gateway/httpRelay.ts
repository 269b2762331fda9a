import { randomUUID } from 'node:crypto'
import type { HttpUpstream } from '../../shared/config'
import { createSessionBounds } from './boundedSessions'
import { createHttpExchange } from './httpExchange'
import { cancelUpstream, relayStream } from './httpStreamRelay'
import { replyJson } from './clientSink'
import { findClientSession, replyNotJsonRpc } from './clientSession'
import {
  errorResponse,
  failureReply,
  isJsonRpc,
  isRequest,
  isResponse,
  upstreamErrorOf,
  withIdentity,
  type JsonRpcMessage,
} from './jsonRpcShapes'
import {
  createUpstreamHttp,
  formatEvent,
  isEventStream,
  readJsonMessage,
  readText,
  upstreamHeaders,
} from './upstreamHttp'
import {
  CLIENT_WENT_AWAY,
  UpstreamFailure,
  type RelayCall,
  type RelayOptions,
  type RelayStatus,
  type UpstreamLeg,
  type UpstreamRelay,
} from './upstreamRelay'
import { legRecorder } from './relayLeg'
import { newSession, type Session } from './httpSession'
import { relayEventAnswer, replyOrEvent } from './httpEventAnswer'

export interface HttpRelayOptions extends RelayOptions {
  /** A client session unused this long is closed here and upstream, in milliseconds. Default 30 minutes. */
  idleMs?: number
}

/** Gateway to a Streamable HTTP upstream: bytes relayed as they come, sessions mapped, the identity added. */
export function createHttpRelay(upstream: HttpUpstream, options: HttpRelayOptions): UpstreamRelay {
  const { label } = options
  const http = createUpstreamHttp(new URL(upstream.url))
  const sessions = new Map<string, Session>()
  const bounds = createSessionBounds(options.sessionLimits)
  const idleMs = options.idleMs ?? 30 * 60_000
  let control: Session | null = null
  let state: RelayStatus['state'] = 'starting'
  let lastError: string | null = null
  let nextId = 1
  const { exchange, initialize } = createHttpExchange(http, label, options.timeoutMs)
  const setState = (next: RelayStatus['state'], error: string | null) => {
    if (next === state && error === lastError) return
    state = next
    lastError = error
    options.onStatusChange()
  }
  const sweeper = setInterval(
    () => {
      const cutoff = Date.now() - idleMs
      for (const [id, s] of sessions) if (s.lastSeen < cutoff) void dropSession(id, s)
    },
    Math.min(idleMs, 60_000),
  )
  sweeper.unref()

  async function dropSession(id: string, session: Session): Promise<void> {
    sessions.delete(id)
    for (const stream of session.streams) stream.abort()
    if (!session.upstreamId) return
    const response = await http
      .send(
        'DELETE',
        upstreamHeaders({}, null, session.upstreamId),
        null,
        AbortSignal.timeout(options.timeoutMs()),
      )
      .catch(() => null)
    response?.resume()
  }

  function describe(err: unknown): string {
    if (err instanceof UpstreamFailure) return err.reason
    const e = err as NodeJS.ErrnoException
    if (e.name === 'AbortError' || e.name === 'TimeoutError')
      return `no answer within ${options.timeoutMs()} ms`
    return e.code ? `unreachable (${e.code}: ${e.message})` : e.message
  }

  async function relayPost(
    call: RelayCall,
    message: JsonRpcMessage,
    sessionId: string | null,
    session: Session | undefined,
  ): Promise<UpstreamLeg> {
    const started = performance.now()
    const { req, res } = call
    const request = isRequest(message) ? message : null
    const rewrite = (answer: JsonRpcMessage): JsonRpcMessage =>
      request?.method === 'tools/list' && isResponse(answer) && answer.result
        ? { ...answer, result: options.rewriteToolsList(answer.result as Record<string, unknown>) }
        : answer
    const leg = legRecorder(call, label, started)
    const fail = (status: number | null, cause: string): UpstreamLeg => {
      setState('failed', cause)
      const failed = leg(status, cause)
      if (request) replyOrEvent(res, failureReply(request, label, cause), sessionId)
      else
        replyJson(
          res,
          502,
          errorResponse(null, -32603, `Upstream ${label}: ${cause}`),
          sessionId ? { 'mcp-session-id': sessionId } : {},
        )
      return failed
    }
    if (request?.method === 'initialize') {
      try {
        const source = call.source ?? 'unknown'
        const fresh = newSession(message, call.signedIn === true, source)
        const { answer, sessionId: upstreamId, status } = await exchange(message, null)
        fresh.upstreamId = upstreamId
        const id = randomUUID()
        bounds.makeRoom(sessions, source, (old, s) => void dropSession(old, s))
        sessions.set(id, fresh)
        setState('ready', null)
        const done = leg(status, null, answer ? upstreamErrorOf(answer) : null)
        replyJson(res, 200, answer, { 'mcp-session-id': id })
        return done
      } catch (err) {
        return fail((err as UpstreamFailure).status ?? null, describe(err))
      }
    }
    const abort = new AbortController()
    const clearDeadline = http.deadline(options.timeoutMs(), abort)
    let answeredClient = false
    res.on('close', () => answeredClient || abort.abort(new Error(CLIENT_WENT_AWAY)))
    const body = JSON.stringify(withIdentity(message, call.identity))
    try {
      let response = await http.send(
        'POST',
        upstreamHeaders(req.headers, call.identity, session?.upstreamId ?? null),
        body,
        abort.signal,
      )
      if (response.statusCode === 404 && session?.init) {
        response.resume()
        await initialize(session)
        options.onToolsChanged() // It restarted: its tools may have changed without a list_changed.
        if (call.stillAllowed && !(await call.stillAllowed())) {
          answeredClient = true
          return leg(404, null)
        }
        response = await http.send(
          'POST',
          upstreamHeaders(req.headers, call.identity, session.upstreamId),
          body,
          abort.signal,
        )
      }
      const status = response.statusCode ?? 0
      if (status >= 500)
        return fail(
          status,
          `answered HTTP ${status}: ${(await readText(response, 4096)).slice(0, 200) || '(empty body)'}`,
        )
      const headers: Record<string, string> = sessionId ? { 'mcp-session-id': sessionId } : {}
      const version = response.headers['mcp-protocol-version']
      if (typeof version === 'string') headers['mcp-protocol-version'] = version
      if (!isEventStream(response)) {
        if (status === 202 || status === 204 || !request) {
          const done = leg(status, null)
          res.writeHead(status, headers)
          response.pipe(res)
          return done
        }
        const answer = await readJsonMessage(response)
        const rewritten = rewrite(answer)
        setState('ready', null)
        const done = leg(status, null, upstreamErrorOf(answer), answer)
        replyJson(res, status, rewritten, headers)
        return done
      }
      if (options.listenStreams?.followListen(res, request)) clearDeadline()
      return relayEventAnswer(response, res, status, headers, {
        label,
        request,
        leg,
        rewrite,
        onToolsChanged: options.onToolsChanged,
        onAnswer: () => {
          setState('ready', null)
          answeredClient = true
        },
        describe,
        signal: abort.signal,
      })
    } catch (err) {
      const reason = abort.signal.aborted ? String((abort.signal.reason as Error)?.message) : ''
      if (reason === CLIENT_WENT_AWAY) return leg(null, CLIENT_WENT_AWAY)
      if (reason === 'timeout' && request)
        void cancelUpstream(http, request.id, session?.upstreamId ?? null)
      return fail(
        null,
        reason === 'timeout'
          ? `no answer to ${request?.method ?? 'the message'} within ${options.timeoutMs()} ms`
          : describe(err),
      )
    } finally {
      clearDeadline()
    }
  }

  return {
    async relay(call) {
      const found = findClientSession(call, sessions, bounds.whyClosed)
      if (!found) return null
      const { sessionId, session } = found
      if (call.req.method !== 'POST')
        return relayStream(call, sessionId, session, {
          http,
          label,
          describe,
          onToolsChanged: options.onToolsChanged,
          logLine: options.logLine,
          forget: (id) => sessions.delete(id),
        })
      if (!isJsonRpc(call.body)) return replyNotJsonRpc(call.res)
      return relayPost(call, call.body, sessionId, session)
    },
    async request(method, params) {
      const message: JsonRpcMessage = {
        jsonrpc: '2.0',
        id: `wb-${nextId++}`,
        method,
        ...(params ? { params } : {}),
      }
      try {
        if (!control) {
          const fresh = newSession(null)
          await initialize(fresh)
          control = fresh
        }
        const result = await exchange(message, control.upstreamId).catch(async (err: unknown) => {
          if ((err as UpstreamFailure).status !== 404 || !control) throw err
          await initialize(control)
          return exchange(message, control.upstreamId)
        })
        if (!result.answer) throw new UpstreamFailure(label, `no answer to ${method}`)
        setState('ready', null)
        return result.answer
      } catch (err) {
        control = null
        const failure =
          err instanceof UpstreamFailure ? err : new UpstreamFailure(label, describe(err))
        setState('failed', failure.reason)
        throw failure
      }
    },
    status: () => ({ state, error: lastError, pid: null, restarts: 0, stderrTail: [] }),
    sessionCount: () => sessions.size,
    notifyToolsChanged() {
      const event = formatEvent(
        JSON.stringify({ jsonrpc: '2.0', method: 'notifications/tools/list_changed' }),
      )
      for (const session of sessions.values()) for (const res of session.listeners) res.write(event)
    },
    async close() {
      clearInterval(sweeper)
      await Promise.all([...sessions].map(([id, s]) => dropSession(id, s)))
      if (control?.upstreamId) await dropSession('control', control)
      http.close()
      setState('stopped', null)
    },
  }
}
