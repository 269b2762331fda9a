import { randomUUID } from 'node:crypto'
import { serializeMessage, SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/client'
import type { StdioUpstream } from '../../shared/config'
import { openEventStream, replyAccepted, replyJson, type ClientSink } from './clientSink'
import { agreedVersion, findClientSession, replyNotJsonRpc } from './clientSession'
import { deferred, withTimeout } from './deferred'
import {
  errorResponse,
  failureReply,
  isJsonRpc,
  isNotification,
  isRequest,
  isResponse,
  paramsOf,
  upstreamErrorOf,
  type JsonRpcMessage,
} from './jsonRpcShapes'
import { createSessionBounds, sweepIdle } from './boundedSessions'
import { legRecorder } from './relayLeg'
import { createStdioChild, type ChildRun } from './stdioChild'
import { batchLines, excerptOf, idIn, readStdioMessages, type LineWriter } from './stdioFraming'
import { createStdioModern } from './stdioModern'
import { createServerRequestRouter } from './stdioServerRequests'
import { createPendingTable } from './stdioPending'
import { relayStdioRequest } from './stdioRequest'
import {
  UpstreamFailure,
  type RelayOptions,
  type RelayStatus,
  type UpstreamRelay,
} from './upstreamRelay'

interface Session {
  streams: Set<ClientSink>
  lastSeen: number
  /** Opened with a verified token: evicted after anonymous sessions. */
  signedIn?: boolean
  source: string
}

const CLIENT_INFO = { name: 'mcp-auth-workbench-gateway', version: '0.1.0' }
const STDERR_TAIL = 50

/**
 * Gateway to a stdio upstream: one shared child, initialized once by the Workbench; client sessions are the
 * Workbench's own, and request ids and progress tokens are renamed so many clients can share the child.
 */
export function createStdioRelay(upstream: StdioUpstream, options: RelayOptions): UpstreamRelay {
  const { label } = options
  const pending = createPendingTable(label, options.timeoutMs)
  const sessions = new Map<string, Session>()
  const bounds = createSessionBounds(options.sessionLimits)
  const stderrTail: string[] = []
  let stdin: LineWriter | null = null
  let generation = 0
  let state: RelayStatus['state'] = 'starting'
  let lastError: string | null = null
  let initResult: Record<string, unknown> | null = null
  let ready = deferred<Record<string, unknown>>()
  let closed = false

  const setState = (next: RelayStatus['state'], error: string | null = lastError) => {
    state = next
    lastError = error
    options.onStatusChange()
  }

  const dropSession = (id: string, session: Session) => {
    sessions.delete(id)
    for (const stream of session.streams) stream.end()
  }
  const stopSweep = sweepIdle(sessions, 30 * 60_000, dropSession)

  const toChild = { pending, write, generation: () => generation }
  const modern = createStdioModern({
    ...toChild,
    label,
    whenReady,
    listeners: options.listenStreams,
  })
  const serverRequests = createServerRequestRouter({
    ...toChild,
    clientStreams: () => [...sessions.values()].flatMap((s) => [...s.streams]),
    inputRequired: modern.inputRequired,
  })

  const child = createStdioChild({
    upstream,
    onStart: (run) => void attach(run),
    onStderr(line) {
      stderrTail.push(line)
      if (stderrTail.length > STDERR_TAIL) stderrTail.shift()
      options.logLine(`[upstream ${label}] ${line}`)
    },
    onExit({ code, signal, expected }) {
      stdin = null
      initResult = null
      const how = signal ? `was killed (${signal})` : `exited with code ${code}`
      const said = stderrTail.at(-1)
      const base = `the process ${how}${said ? ` (last stderr line: ${said.slice(0, 200)})` : ''}`
      const cause = `${base}${expected ? '' : '; restarting it'}`
      pending.failAll(base)
      if (!expected) {
        options.logLine(`Upstream ${label}: ${cause}`)
        ready.reject(new UpstreamFailure(label, cause))
        ready = deferred()
        setState('restarting', cause)
      }
    },
  })
  child.start()

  async function attach(run: ChildRun): Promise<void> {
    generation = run.generation
    stdin = batchLines(run.stdin)
    readStdioMessages(
      run.stdout,
      label,
      options.logLine,
      (message) => run.generation === generation && fromChild(message),
      (line) => run.generation === generation && fromChildMalformed(line),
    )
    try {
      const init = await pending.control(write, 'initialize', {
        protocolVersion: SUPPORTED_PROTOCOL_VERSIONS[0],
        capabilities: { sampling: {}, elicitation: {} },
        clientInfo: CLIENT_INFO,
      })
      if (init.error)
        throw new UpstreamFailure(label, `initialize failed: ${upstreamErrorOf(init)}`)
      write({ jsonrpc: '2.0', method: 'notifications/initialized' })
      initResult = init.result as Record<string, unknown>
      ready.resolve(initResult)
      setState('ready', null)
      options.onToolsChanged()
    } catch (err) {
      const cause = err instanceof UpstreamFailure ? err.reason : (err as Error).message
      setState('failed', cause)
    }
  }

  function write(message: JsonRpcMessage): void {
    if (!stdin) throw new UpstreamFailure(label, 'the process is not running')
    stdin.write(serializeMessage(message as never))
  }

  function whenReady(): Promise<Record<string, unknown>> {
    return withTimeout(
      ready,
      options.timeoutMs(),
      () =>
        new UpstreamFailure(label, lastError ? `not ready (${lastError})` : 'not ready in time'),
    )
  }

  function fromChild(message: JsonRpcMessage): void {
    if (isResponse(message)) {
      if (!pending.answer(message))
        options.logLine(`Upstream ${label} answered an unknown request id ${String(message.id)}`)
      return
    }
    if (isRequest(message)) return serverRequests.route(message)
    if (!isNotification(message)) return
    if (message.method === 'notifications/progress') {
      const params = paramsOf(message)
      const p = pending.get(String(params.progressToken))
      if (p?.sink?.sse)
        p.sink.send({ ...message, params: { ...params, progressToken: p.progressToken } })
      return
    }
    if (message.method === 'notifications/tools/list_changed') options.onToolsChanged()
    modern.fromChild(message)
    broadcast(message)
  }

  /** A line that is not JSON-RPC: it fails the request whose id it carries, else is named in the next timeout. */
  function fromChildMalformed(line: string): void {
    const id = idIn(line)
    const p = id === undefined ? undefined : pending.get(id)
    if (!p || id === undefined) return pending.noteMalformed(line)
    pending.fail(id, `answered ${p.method} with a message that is not JSON-RPC: ${excerptOf(line)}`)
  }

  function broadcast(message: JsonRpcMessage): void {
    for (const session of sessions.values())
      for (const stream of session.streams) stream.send(message)
  }

  return {
    async relay(call) {
      const { req, res } = call
      const found = findClientSession(call, sessions, bounds.whyClosed)
      if (!found) return null
      const { sessionId, session } = found
      if (req.method === 'GET') {
        if (!session || !sessionId) {
          replyJson(
            res,
            400,
            errorResponse(null, -32000, 'Bad Request: a GET stream needs an Mcp-Session-Id'),
          )
          return null
        }
        const stream = openEventStream(res, { 'mcp-session-id': sessionId })
        session.streams.add(stream)
        res.on('close', () => session.streams.delete(stream))
        return null
      }
      if (req.method === 'DELETE') {
        if (sessionId) sessions.delete(sessionId)
        for (const stream of session?.streams ?? []) stream.end()
        res.writeHead(200).end()
        return null
      }
      const message = call.body
      if (!isJsonRpc(message)) return replyNotJsonRpc(res)
      if (isRequest(message) && message.method === 'initialize') {
        const started = performance.now()
        try {
          const result = await withTimeout(
            ready.promise,
            options.timeoutMs(),
            () => new UpstreamFailure(label, lastError ?? 'not ready in time'),
          )
          const id = randomUUID()
          const source = call.source ?? 'unknown'
          bounds.makeRoom(sessions, source, dropSession)
          sessions.set(id, {
            streams: new Set(),
            lastSeen: Date.now(),
            signedIn: call.signedIn === true,
            source,
          })
          const protocolVersion = agreedVersion(paramsOf(message).protocolVersion, result)
          // Answered from the child's own initialize result: nothing goes upstream.
          replyJson(
            res,
            200,
            { jsonrpc: '2.0', id: message.id, result: { ...result, protocolVersion } },
            { 'mcp-session-id': id },
          )
          return null
        } catch (err) {
          const cause = err instanceof UpstreamFailure ? err.reason : String(err)
          const failed = legRecorder(call, label, started)(null, cause)
          replyJson(res, 200, failureReply(message, label, cause))
          return failed
        }
      }
      if (isRequest(message) && message.method === 'ping') {
        replyJson(res, 200, { jsonrpc: '2.0', id: message.id, result: {} })
        return null
      }
      const handled = isRequest(message) && modern.handle(call, message, sessionId)
      if (handled) return handled
      if (isRequest(message))
        return relayStdioRequest(call, message, sessionId, {
          options,
          pending,
          whenReady,
          isReady: () => state === 'ready',
          write,
          running: () => stdin !== null,
          serverInfo: () => initResult?.serverInfo,
        })
      try {
        serverRequests.forward(message, sessionId)
      } catch (err) {
        replyJson(res, 503, errorResponse(null, -32603, (err as Error).message))
        return null
      }
      replyAccepted(res, sessionId ? { 'mcp-session-id': sessionId } : {})
      return null
    },
    async request(method, params) {
      await whenReady()
      return pending.control(write, method, params)
    },
    notifyToolsChanged() {
      broadcast({ jsonrpc: '2.0', method: 'notifications/tools/list_changed' })
    },
    sessionCount: () => sessions.size,
    status: () => ({
      state,
      error: lastError,
      pid: child.pid(),
      restarts: child.restarts(),
      stderrTail: [...stderrTail],
    }),
    async close() {
      if (closed) return
      closed = true
      stopSweep()
      for (const session of sessions.values()) for (const s of session.streams) s.end()
      sessions.clear()
      await child.stop()
      setState('stopped', null)
    },
  }
}
