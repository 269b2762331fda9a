import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import type { Readable, Writable } from 'node:stream'
import type { StdioUpstream } from '../../shared/config'
import { CHILD_WATCHDOG_SOURCE } from './childWatchdog'

export interface ChildRun {
  stdin: Writable
  stdout: Readable
  /** Increments with every start, so late output of a dead run is told apart. */
  generation: number
}

export interface StdioChildOptions {
  upstream: StdioUpstream
  /** A fresh run is up: its pipes are ready to speak MCP. */
  onStart(run: ChildRun): void
  /** The run ended (crash or stop); `expected` is true when we stopped it. */
  onExit(info: {
    code: number | null
    signal: string | null
    expected: boolean
    generation: number
  }): void
  /** One line of the upstream's stderr. */
  onStderr(line: string): void
  /** First restart delay, in ms; doubles up to `maxBackoffMs`. Default 250. */
  backoffMs?: number
  /** Longest restart delay, in ms. Default 15,000. */
  maxBackoffMs?: number
  /** A run alive this long resets the delay, in ms. Default 30,000. */
  stableMs?: number
}

export interface StdioChild {
  start(): void
  /** Stops the upstream (its whole process group) and does not restart it. */
  stop(): Promise<void>
  /** Pid of the upstream itself (not the watchdog), while running. */
  pid(): number | null
  restarts(): number
}

/** One shared stdio upstream process, restarted with backoff when it dies, never outliving the Workbench. */
export function createStdioChild(options: StdioChildOptions): StdioChild {
  const backoff = options.backoffMs ?? 250
  const maxBackoff = options.maxBackoffMs ?? 15_000
  const stableMs = options.stableMs ?? 30_000
  let watchdog: ChildProcess | null = null
  let upstreamPid: number | null = null
  let stopped = false
  let delay = backoff
  let restarts = 0
  let generation = 0
  let timer: NodeJS.Timeout | null = null

  function launch(): void {
    timer = null
    if (stopped) return
    const { upstream } = options
    const electron = Boolean(process.versions.electron)
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...upstream.env,
      ...(electron ? { ELECTRON_RUN_AS_NODE: '1', WORKBENCH_WATCHDOG_STRIP: '1' } : {}),
    }
    const child = spawn(
      process.execPath,
      ['-e', CHILD_WATCHDOG_SOURCE, '--', upstream.command, ...upstream.args],
      {
        cwd: upstream.cwd,
        env,
        stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
        windowsHide: true,
      },
    )
    watchdog = child
    const gen = ++generation
    const startedAt = Date.now()
    const lifeline = child.stdio[3] as Readable
    createInterface({ input: lifeline }).on('line', (line) => {
      try {
        upstreamPid = (JSON.parse(line) as { pid: number }).pid
      } catch {
        // Only the watchdog writes here.
      }
    })
    lifeline.on('error', () => {})
    createInterface({ input: child.stderr as Readable }).on('line', options.onStderr)
    child.stdin?.on('error', () => {})
    child.on('error', (err) => options.onStderr(`cannot start the watchdog: ${err.message}`))
    child.on('exit', (code, signal) => {
      if (watchdog === child) watchdog = null
      upstreamPid = null
      options.onExit({ code, signal, expected: stopped, generation: gen })
      if (stopped) return
      delay = Date.now() - startedAt > stableMs ? backoff : Math.min(delay * 2, maxBackoff)
      restarts++
      timer = setTimeout(launch, delay)
      timer.unref()
    })
    options.onStart({
      stdin: child.stdin as Writable,
      stdout: child.stdout as Readable,
      generation: gen,
    })
  }

  return {
    start() {
      stopped = false
      if (!watchdog && !timer) launch()
    },
    async stop() {
      stopped = true
      if (timer) clearTimeout(timer)
      timer = null
      const child = watchdog
      if (!child || child.exitCode !== null || child.signalCode !== null) return
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
        setTimeout(() => child.kill('SIGKILL'), 4000).unref()
      })
    },
    pid: () => upstreamPid,
    restarts: () => restarts,
  }
}
