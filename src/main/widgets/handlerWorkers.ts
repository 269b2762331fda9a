import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import { errorInfo, locateSyntaxError, type HandlerErrorInfo } from './handlerErrors'
import { HANDLER_WORKER_SOURCE } from './handlerWorkerSource'
import type { UserContext } from './widgetDefinition'

/** A handler module that runs in a worker thread: the file and the version (mtime) loaded. */
export interface IsolatedHandler {
  file: string
  version: number
}

export interface WorkerCall {
  input: Record<string, unknown>
  /** The caller as the handler sees it, minus `hasScope` (a function cannot cross to a worker). */
  user: Omit<UserContext, 'hasScope'>
  widget: { id: string; title: string }
}

/** The call's deadline and the caller's cancellation. */
export interface WorkerRunOptions {
  timeoutMs: number
  signal?: AbortSignal
}

export type WorkerOutcome =
  | { kind: 'result'; value: unknown }
  | { kind: 'error'; error: HandlerErrorInfo }
  | { kind: 'timeout' }
  | { kind: 'busy' }
  | { kind: 'crashed'; error: HandlerErrorInfo }

export type ProbeResult =
  { ok: true } | { ok: false; error: HandlerErrorInfo; location: string | null }

const MAX_IDLE_PER_FILE = 2
const IDLE_MS = 60_000
const WORKER_HEAP_MB = 256

interface Pool {
  version: number
  idle: Worker[]
}
const pools = new Map<string, Pool>()
const idleTimers = new WeakMap<Worker, NodeJS.Timeout>()
let nextCallId = 1

function spawn(handler: IsolatedHandler): Worker {
  const url = `${pathToFileURL(handler.file).href}?v=${handler.version}`
  return new Worker(HANDLER_WORKER_SOURCE, {
    eval: true,
    workerData: { url },
    resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
  })
}

function take(handler: IsolatedHandler): Worker {
  const pool = pools.get(handler.file)
  const worker = pool?.version === handler.version ? pool.idle.pop() : undefined
  if (!worker) return spawn(handler)
  clearTimeout(idleTimers.get(worker))
  worker.ref()
  return worker
}

function release(handler: IsolatedHandler, worker: Worker): void {
  let pool = pools.get(handler.file)
  if (!pool || pool.version !== handler.version) {
    for (const old of pool?.idle ?? []) void old.terminate()
    pool = { version: handler.version, idle: [] }
    pools.set(handler.file, pool)
  }
  if (pool.idle.length >= MAX_IDLE_PER_FILE) return void worker.terminate()
  const idle = pool.idle
  idle.push(worker)
  worker.unref()
  idleTimers.set(
    worker,
    setTimeout(() => {
      const i = idle.indexOf(worker)
      if (i > -1) idle.splice(i, 1)
      void worker.terminate()
    }, IDLE_MS).unref(),
  )
}

/**
 * Runs one call in a worker of its own (reused when the call ends cleanly). At the deadline the
 * worker is terminated, so a handler that loops synchronously or never settles cannot hold the
 * server. At most MAX_BUSY_PER_FILE calls of one handler run at once; a few more wait (within their
 * deadline), the rest are refused as busy: anonymous callers cannot spawn workers without bound.
 */
export async function runInWorker(
  handler: IsolatedHandler,
  call: WorkerCall,
  options: WorkerRunOptions,
): Promise<WorkerOutcome> {
  const started = Date.now()
  const slot = await acquireSlot(handler.file, options.timeoutMs)
  if (slot !== 'ok') return { kind: slot }
  try {
    const timeoutMs = Math.max(1, options.timeoutMs - (Date.now() - started))
    return await runOnWorker(handler, call, { ...options, timeoutMs })
  } finally {
    releaseSlot(handler.file)
  }
}

const MAX_BUSY_PER_FILE = 4
const MAX_WAITING_PER_FILE = 32
const slots = new Map<string, { busy: number; waiting: (() => void)[] }>()

function acquireSlot(file: string, timeoutMs: number): Promise<'ok' | 'busy' | 'timeout'> {
  let state = slots.get(file)
  if (!state) slots.set(file, (state = { busy: 0, waiting: [] }))
  const s = state
  if (s.busy < MAX_BUSY_PER_FILE) {
    s.busy++
    return Promise.resolve('ok')
  }
  if (s.waiting.length >= MAX_WAITING_PER_FILE) return Promise.resolve('busy')
  return new Promise((resolve) => {
    const wake = (): void => {
      clearTimeout(timer)
      s.busy++
      resolve('ok')
    }
    const timer = setTimeout(() => {
      s.waiting.splice(s.waiting.indexOf(wake), 1)
      resolve('timeout')
    }, timeoutMs)
    s.waiting.push(wake)
  })
}

function releaseSlot(file: string): void {
  const s = slots.get(file)
  if (!s) return
  s.busy--
  s.waiting.shift()?.()
  if (s.busy === 0 && s.waiting.length === 0) slots.delete(file)
}

/** Only the first outcome counts: a result, an error, an exit or the deadline, whichever is first. */
function firstOnly<A extends unknown[]>(settle: (...args: A) => void): (...args: A) => void {
  let done = false
  return (...args) => {
    if (done) return
    done = true
    settle(...args)
  }
}

/** A worker whose call ended cleanly goes back to its pool; any other is terminated. */
function handBack(handler: IsolatedHandler, worker: Worker, reuse: boolean): void {
  if (reuse) release(handler, worker)
  else void worker.terminate()
}

function runOnWorker(
  handler: IsolatedHandler,
  call: WorkerCall,
  options: WorkerRunOptions,
): Promise<WorkerOutcome> {
  return new Promise((resolve) => {
    const worker = take(handler)
    const id = nextCallId++
    const finish = firstOnly((outcome: WorkerOutcome, reuse: boolean): void => {
      clearTimeout(timer)
      worker.off('message', onMessage).off('error', onError).off('exit', onExit)
      options.signal?.removeEventListener('abort', onAbort)
      handBack(handler, worker, reuse)
      resolve(outcome)
    })
    const onMessage = (m: {
      type: string
      id?: number
      value?: unknown
      error?: HandlerErrorInfo
    }): void => {
      if (m.id !== id) return
      if (m.type === 'result') finish({ kind: 'result', value: m.value }, true)
      else if (m.type === 'error')
        finish({ kind: 'error', error: m.error as HandlerErrorInfo }, true)
    }
    const onError = (err: unknown): void =>
      finish({ kind: 'crashed', error: errorInfo(err) }, false)
    const onExit = (code: number): void =>
      finish(
        {
          kind: 'crashed',
          error: {
            name: 'Error',
            message: `the handler's worker exited with code ${code}`,
            stack: '',
          },
        },
        false,
      )
    const onAbort = (): void =>
      worker.postMessage({ type: 'abort', id, reason: 'the client cancelled the call' })
    const timer = setTimeout(() => finish({ kind: 'timeout' }, false), options.timeoutMs)
    worker.on('message', onMessage).on('error', onError).on('exit', onExit)
    options.signal?.addEventListener('abort', onAbort, { once: true })
    try {
      worker.postMessage({ type: 'call', id, ...call })
    } catch (err) {
      finish({ kind: 'error', error: errorInfo(err) }, true)
    }
  })
}

/** Loads the module in a worker (kept for the first call) and checks it exports a function. */
export function probeHandler(handler: IsolatedHandler, timeoutMs = 5000): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const worker = spawn(handler)
    const finish = firstOnly((result: ProbeResult, keep: boolean): void => {
      clearTimeout(timer)
      worker.removeAllListeners('message').removeAllListeners('error')
      handBack(handler, worker, keep)
      resolve(result)
    })
    const timer = setTimeout(() => {
      const message = `the module did not finish loading within ${timeoutMs / 1000} s (a loop at its top level?)`
      finish({ ok: false, error: { name: 'Error', message, stack: '' }, location: null }, false)
    }, timeoutMs)
    worker.on('message', (m: { type: string; error?: HandlerErrorInfo }) => {
      if (m.type === 'ready') return finish({ ok: true }, true)
      const error = m.error as HandlerErrorInfo
      if (error.name !== 'SyntaxError') return finish({ ok: false, error, location: null }, false)
      void locateSyntaxError(handler.file).then((location) =>
        finish({ ok: false, error, location }, false),
      )
    })
    worker.on('error', (err) => finish({ ok: false, error: errorInfo(err), location: null }, false))
    worker.postMessage({ type: 'probe' })
  })
}

/** Stops the idle workers of handlers under `folder` (a registry closing or switching folders). */
export function closeHandlerWorkers(folder: string): void {
  for (const [file, pool] of pools) {
    if (!file.startsWith(folder)) continue
    for (const worker of pool.idle) void worker.terminate()
    pools.delete(file)
  }
}
