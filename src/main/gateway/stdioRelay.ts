import { randomUUID } from 'node:crypto'
import type { Writable } from 'node:stream'
import {
  ReadBuffer,
  serializeMessage,
  SUPPORTED_PROTOCOL_VERSIONS,
} from '@modelcontextprotocol/client'
import type { StdioUpstream } from '../../shared/config'
import {
  openClientSink,
  openEventStream,
  replyAccepted,
  replyJson,
  type ClientSink,
} from './clientSink'
import {
  errorResponse,
  failureReply,
  isJsonRpc,
  isNotification,
  isRequest,
  isResponse,
  metaOf,
  paramsOf,
  upstreamErrorOf,
  withIdentity,
  type JsonRpcId,
  type JsonRpcMessage,
} from './jsonRpcShapes'
import { evictOldest, sweepIdle } from './boundedSessions'
import { createStdioChild, type ChildRun } from './stdioChild'
import {
  UpstreamFailure,
  type RelayOptions,
  type RelayStatus,
  type UpstreamLeg,
  type UpstreamRelay,
} from './upstreamRelay'

interface Pending {
  method: string
  sessionId: string | null
  clientId: JsonRpcId | null
  progressToken: unknown
  sink: ClientSink | null
  started: number
  timer: NodeJS.Timeout
  settle(message: JsonRpcMessage | null, failure: string | null): void
}

interface Session {
  streams: Set<ClientSink>
  lastSeen: number
  /** Opened with a verified token: evicted after anonymous sessions. */
  signedIn?: boolean
}

const CLIENT_INFO = { name: 'mcp-auth-workbench-gateway', version: '0.1.0' }
const STDERR_TAIL = 50

/**
 * Gateway to a stdio upstream: one shared child, initialized once by the Workbench; client sessions are the
 * Workbench's own, and request ids and progress tokens are renamed so many clients can share the child.
 */
export function createStdioRelay(upstream: StdioUpstream, options: RelayOptions): UpstreamRelay {
  const { label } = options
  const pending = new Map<string, Pending>()
  const serverRequests = new Map<string, { childId: JsonRpcId; generation: number }>()
  const sessions = new Map<string, Session>()
  const stderrTail: string[] = []
  let stdin: Writable | null = null
  let generation = 0
  let nextId = 1
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
      for (const [id, p] of pending) {
        pending.delete(id)
        clearTimeout(p.timer)
        p.settle(null, `${base} while handling ${p.method}`)
      }
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
    stdin = run.stdin
    const buffer = new ReadBuffer()
    run.stdout.on('data', (chunk: Buffer) => {
      try {
        buffer.append(chunk)
      } catch (err) {
        options.logLine(`Upstream ${label}: ${(err as Error).message}`)
        return
      }
      for (;;) {
        let message: unknown
        try {
          message = buffer.readMessage()
        } catch {
          options.logLine(`Upstream ${label} wrote a line that is not a JSON-RPC message; ignored`)
          continue
        }
        if (message === null) break
        if (run.generation === generation) fromChild(message as JsonRpcMessage)
      }
    })
    try {
      const init = await control('initialize', {
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

  function control(method: string, params?: Record<string, unknown>): Promise<JsonRpcMessage> {
    return new Promise((resolve, reject) => {
      const id = `wb-${nextId++}`
      const timer = setTimeout(() => {
        pending.delete(id)
        reject(
          new UpstreamFailure(label, `no answer to ${method} within ${options.timeoutMs()} ms`),
        )
      }, options.timeoutMs())
      pending.set(id, {
        method,
        sessionId: null,
        clientId: null,
        progressToken: undefined,
        sink: null,
        started: performance.now(),
        timer,
        settle: (message, failure) =>
          message ? resolve(message) : reject(new UpstreamFailure(label, failure ?? 'no answer')),
      })
      try {
        write({ jsonrpc: '2.0', id, method, ...(params ? { params } : {}) })
      } catch (err) {
        clearTimeout(timer)
        pending.delete(id)
        reject(err as Error)
      }
    })
  }

  function fromChild(message: JsonRpcMessage): void {
    if (isResponse(message)) {
      const p = pending.get(String(message.id))
      if (!p)
        return options.logLine(
          `Upstream ${label} answered an unknown request id ${String(message.id)}`,
        )
      pending.delete(String(message.id))
      clearTimeout(p.timer)
      return p.settle(message, null)
    }
    if (isRequest(message)) return routeServerRequest(message)
    if (!isNotification(message)) return
    if (message.method === 'notifications/progress') {
      const params = paramsOf(message)
      const p = pending.get(String(params.progressToken))
      if (p?.sink?.sse)
        p.sink.send({ ...message, params: { ...params, progressToken: p.progressToken } })
      return
    }
    if (message.method === 'notifications/tools/list_changed') options.onToolsChanged()
    for (const session of sessions.values())
      for (const stream of session.streams) stream.send(message)
  }

  function routeServerRequest(message: JsonRpcMessage & { id: JsonRpcId; method: string }): void {
    if (message.method === 'ping') return write({ jsonrpc: '2.0', id: message.id, result: {} })
    const inFlight = [...pending.values()].reverse().find((p) => p.sink?.sse && !p.sink.closed)
    const stream =
      inFlight?.sink ?? [...sessions.values()].flatMap((s) => [...s.streams]).find((s) => !s.closed)
    if (!stream) {
      return write(
        errorResponse(
          message.id,
          -32603,
          `No client connected through the Workbench can answer ${message.method}`,
        ),
      )
    }
    const id = `wb-s${nextId++}`
    serverRequests.set(id, { childId: message.id, generation })
    stream.send({ ...message, id })
  }

  async function relayRequest(
    call: Parameters<UpstreamRelay['relay']>[0],
    message: JsonRpcMessage & { id: JsonRpcId; method: string },
    sessionId: string | null,
  ): Promise<UpstreamLeg> {
    const started = performance.now()
    const headers: Record<string, string> = sessionId ? { 'mcp-session-id': sessionId } : {}
    const leg = (
      error: string | null,
      upstreamError: string | null,
      answer?: JsonRpcMessage,
    ): UpstreamLeg => {
      const value = {
        target: label,
        status: null,
        latencyMs: performance.now() - started,
        error,
        upstreamError,
        ...(answer ? { answer } : {}),
      }
      call.onLeg?.(value)
      return value
    }
    try {
      await withTimeout(
        ready.promise,
        options.timeoutMs(),
        () =>
          new UpstreamFailure(label, lastError ? `not ready (${lastError})` : 'not ready in time'),
      )
    } catch (err) {
      const cause = err instanceof UpstreamFailure ? err.reason : String(err)
      const failed = leg(cause, null)
      replyJson(call.res, 200, failureReply(message, label, cause), headers)
      return failed
    }
    const id = `wb-${nextId++}`
    const params = paramsOf(message)
    const meta = metaOf(params)
    const progressToken = meta?.progressToken
    let outgoing = withIdentity({ ...message, id }, call.identity)
    if (progressToken !== undefined) {
      const p = paramsOf(outgoing)
      outgoing = { ...outgoing, params: { ...p, _meta: { ...metaOf(p), progressToken: id } } }
    }
    const sink = openClientSink(call.res, call.req.headers.accept, headers)
    return new Promise<UpstreamLeg>((resolve) => {
      const timer = setTimeout(() => {
        pending.delete(id)
        const cause = `no answer to ${message.method} within ${options.timeoutMs()} ms`
        if (stdin)
          write({
            jsonrpc: '2.0',
            method: 'notifications/cancelled',
            params: { requestId: id, reason: 'timed out at the Workbench' },
          })
        const failed = leg(cause, null)
        sink.send(failureReply(message, label, cause))
        sink.end()
        resolve(failed)
      }, options.timeoutMs())
      pending.set(id, {
        method: message.method,
        sessionId,
        clientId: message.id,
        progressToken,
        sink,
        started,
        timer,
        settle(answer, failure) {
          clearTimeout(timer)
          if (!answer) {
            const failed = leg(failure, null)
            sink.send(failureReply(message, label, failure ?? 'no answer'))
            sink.end()
            return resolve(failed)
          }
          let result = answer.result as Record<string, unknown> | undefined
          if (message.method === 'tools/list' && result) result = options.rewriteToolsList(result)
          const done = leg(null, upstreamErrorOf(answer), { ...answer, id: message.id })
          sink.send({ ...answer, id: message.id, ...(result ? { result } : {}) })
          sink.end()
          resolve(done)
        },
      })
      call.res.on('close', () => {
        if (!pending.has(id)) return
        pending.delete(id)
        clearTimeout(timer)
        if (stdin)
          write({
            jsonrpc: '2.0',
            method: 'notifications/cancelled',
            params: { requestId: id, reason: 'the client went away' },
          })
        resolve(leg('the client went away before the answer', null))
      })
      write(outgoing)
    })
  }

  function forwardClientMessage(message: JsonRpcMessage, sessionId: string | null): void {
    if (isResponse(message)) {
      const mapped = serverRequests.get(String(message.id))
      if (!mapped || mapped.generation !== generation) return
      serverRequests.delete(String(message.id))
      return write({ ...message, id: mapped.childId })
    }
    if (message.method === 'notifications/initialized') return
    if (message.method === 'notifications/cancelled') {
      const params = paramsOf(message)
      const target = [...pending.entries()].find(
        ([, p]) => p.sessionId === sessionId && p.clientId === params.requestId,
      )
      if (target) write({ ...message, params: { ...params, requestId: target[0] } })
      return
    }
    write(message)
  }

  return {
    async relay(call) {
      const { req, res } = call
      const header = req.headers['mcp-session-id']
      const sessionId = (Array.isArray(header) ? header[0] : header) ?? null
      const session = sessionId ? sessions.get(sessionId) : undefined
      if (sessionId && !session) {
        replyJson(
          res,
          404,
          errorResponse(null, -32001, 'Session not found: initialize a new session'),
        )
        return null
      }
      if (session) session.lastSeen = Date.now()
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
      if (!isJsonRpc(message)) {
        replyJson(
          res,
          400,
          errorResponse(null, -32600, 'Invalid Request: not a JSON-RPC 2.0 message'),
        )
        return null
      }
      if (isRequest(message) && message.method === 'initialize') {
        const started = performance.now()
        try {
          const result = await withTimeout(
            ready.promise,
            options.timeoutMs(),
            () => new UpstreamFailure(label, lastError ?? 'not ready in time'),
          )
          const id = randomUUID()
          evictOldest(sessions, dropSession)
          sessions.set(id, {
            streams: new Set(),
            lastSeen: Date.now(),
            signedIn: call.signedIn === true,
          })
          const asked = paramsOf(message).protocolVersion
          const protocolVersion =
            typeof asked === 'string' && SUPPORTED_PROTOCOL_VERSIONS.includes(asked)
              ? asked
              : result.protocolVersion
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
          const failed: UpstreamLeg = {
            target: label,
            status: null,
            latencyMs: performance.now() - started,
            error: cause,
            upstreamError: null,
          }
          call.onLeg?.(failed)
          replyJson(res, 200, failureReply(message, label, cause))
          return failed
        }
      }
      if (isRequest(message) && message.method === 'ping') {
        replyJson(res, 200, { jsonrpc: '2.0', id: message.id, result: {} })
        return null
      }
      if (isRequest(message)) return relayRequest(call, message, sessionId)
      try {
        forwardClientMessage(message, sessionId)
      } catch (err) {
        replyJson(res, 503, errorResponse(null, -32603, (err as Error).message))
        return null
      }
      replyAccepted(res, sessionId ? { 'mcp-session-id': sessionId } : {})
      return null
    },
    async request(method, params) {
      await withTimeout(
        ready.promise,
        options.timeoutMs(),
        () =>
          new UpstreamFailure(label, lastError ? `not ready (${lastError})` : 'not ready in time'),
      )
      return control(method, params)
    },
    notifyToolsChanged() {
      const message = { jsonrpc: '2.0', method: 'notifications/tools/list_changed' }
      for (const session of sessions.values())
        for (const stream of session.streams) stream.send(message)
    },
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

function deferred<T>(): { promise: Promise<T>; resolve(v: T): void; reject(e: Error): void } {
  let resolve!: (v: T) => void
  let reject!: (e: Error) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  promise.catch(() => {})
  return { promise, resolve, reject }
}

function withTimeout<T>(promise: Promise<T>, ms: number, failure: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(failure()), ms)
    promise.then(
      (v) => {
        clearTimeout(timer)
        resolve(v)
      },
      (e: unknown) => {
        clearTimeout(timer)
        reject(e as Error)
      },
    )
  })
}
