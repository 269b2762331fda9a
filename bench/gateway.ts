// npm run bench, gateway scenario: tools/call through the Workbench in gateway mode against the same upstream
// called directly, over Streamable HTTP and over stdio. Added latency p50 (one connection, sequential) and
// throughput at 8 connections, in interleaved rounds (medians; the order rotates each round, the machine is
// shared). Upstream, Workbench and the bench (the client) each run in their own process; each side's line says
// the CPU microseconds per call each process spent (from /proc), which is what bounds throughput on 2 cores.
//
// What "directly" means, with equal client work on both sides:
// - HTTP: the same raw JSON-RPC posts (8 MCP sessions, one call in flight each, answers read whole) to the
//   upstream's URL and to the Workbench's /mcp; the upstream answers both the same way (SSE).
// - stdio: the bench drives a child of the same upstream over its pipe, newline-delimited JSON-RPC, 8 calls in
//   flight, as the Workbench drives its own child; the gateway side is the same calls over HTTP to the
//   Workbench. Neither side is a strawman, but a pipe costs the client ~8 us a call and HTTP ~80: the HTTP hop
//   a stdio server needs to reach ChatGPT is in the ratio. So the `floor` side (bench/rawForwarder.ts: the
//   thinnest HTTP front, no auth, no log, nothing decoded but the id) is measured too, on both transports: it
//   is what any gateway on this machine can reach, and the gateway/floor ratio is the gateway's own cost.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { closeKeepAlive, mcpSession, postJson } from './httpClient'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6)
const SEQUENTIAL_CALLS = Number(process.env.BENCH_SEQUENTIAL ?? 300)
const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 1500)
const CONCURRENCY = 8
const TICKS_PER_SECOND = 100
/** Writes a CPU profile of each Workbench process there (node --cpu-prof), to see where a call's time goes. */
const PROFILE_DIR = process.env.BENCH_PROFILE_DIR
/** Measures bench/rawForwarder.ts too, the thinnest HTTP front there is (BENCH_FLOOR=0 skips it). */
const FLOOR = process.env.BENCH_FLOOR !== '0'
/** A checkout of an earlier tree (its src/, with this bench file in its bench/): its Workbench measured too. */
const BASELINE = process.env.BENCH_BASELINE
/** `http` or `stdio` runs only that transport. */
const ONLY = process.env.BENCH_ONLY
const FIXTURES = join(import.meta.dirname, '..', 'test', 'gateway', 'fixtures')
const FIXTURE = join(FIXTURES, 'recordingServer.mjs')
const LOOPBACK_ONLY = join(FIXTURES, 'loopbackOnly.mjs')
const BASIC_SERVER = join(
  dirname(createRequire(import.meta.url).resolve('@modelcontextprotocol/server-basic-vanillajs')),
  'index.js',
)

/** An upstream the bench calls: how to start it on each transport, the call, and what its answer contains. */
interface Upstream {
  label: string
  http: string[]
  stdio: string[]
  call: { name: string; arguments: Record<string, unknown> }
  answer: string
}
const UPSTREAMS: Record<string, Upstream> = {
  // Our recording SDK server: one stateful server for every session, as cheap per call as an SDK server gets.
  recording: {
    label: 'recording fixture (stateful SDK server), tools/call "echo"',
    http: [FIXTURE],
    stdio: [FIXTURE, '--stdio'],
    call: { name: 'echo', arguments: { text: 'bench' } },
    answer: '"text":"bench"',
  },
  // The real MCP Apps example server: stateless, a server and transport per request, as the examples are written.
  vanillajs: {
    label: '@modelcontextprotocol/server-basic-vanillajs, tools/call "get-time"',
    http: ['--import', LOOPBACK_ONLY, BASIC_SERVER],
    stdio: [BASIC_SERVER, '--stdio'],
    call: { name: 'get-time', arguments: {} },
    answer: '"structuredContent":{"time"',
  },
}
/** Which upstreams to measure (comma-separated keys of UPSTREAMS). */
const UPSTREAM_KEYS = (process.env.BENCH_UPSTREAMS ?? 'recording,vanillajs').split(',')

/** The Workbench in its own process, in gateway mode, auth off (every tool public): prints its /mcp URL. */
async function hostWorkbench(upstream: Record<string, unknown>): Promise<void> {
  const { createWorkbench } = await import('../src/main/core')
  const dir = await mkdtemp(join(tmpdir(), 'bench-gateway-'))
  const workbench = await createWorkbench({
    configPath: null,
    dataDir: dir,
    port: 0,
    upstream: upstream as never,
    ...(process.env.BENCH_LOG_CAPACITY
      ? { logCapacity: Number(process.env.BENCH_LOG_CAPACITY) }
      : {}),
  })
  await workbench.config.update((raw) => ({ ...raw, auth: { issuer: 'off' } }))
  await workbench.start()
  const deadline = Date.now() + 15_000
  while (!workbench.widgetSummaries().some((w) => w.id === 'echo') && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 50))
  console.log(workbench.mcpUrl())
  if (process.env.BENCH_GC) {
    const { PerformanceObserver, constants } = await import('node:perf_hooks')
    const kinds: Record<string, { n: number; ms: number }> = {}
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        const kind = (e as unknown as { detail: { kind: number } }).detail.kind
        const name =
          kind === constants.NODE_PERFORMANCE_GC_MAJOR
            ? 'major'
            : kind === constants.NODE_PERFORMANCE_GC_MINOR
              ? 'minor'
              : String(kind)
        const k = (kinds[name] ??= { n: 0, ms: 0 })
        k.n++
        k.ms += e.duration
      }
    }).observe({ entryTypes: ['gc'] })
    setInterval(
      () =>
        console.error(
          'gc',
          JSON.stringify(kinds),
          'heap MB',
          (process.memoryUsage().heapUsed / 1e6).toFixed(0),
        ),
      3000,
    ).unref()
  }
  process.stdin.resume()
  process.stdin.on(
    'end',
    () =>
      void workbench
        .close()
        .then(() => rm(dir, { recursive: true, force: true }))
        .then(() => process.exit(0)),
  )
}

/** The first line of the child's stdout (or stderr, when piped) matching, or its first group. */
function firstLine(child: ChildProcess, match: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    const onLine = (line: string) => {
      const m = match.exec(line)
      if (m) resolve(m[1] ?? m[0])
    }
    createInterface({ input: child.stdout! }).on('line', onLine)
    if (child.stderr) createInterface({ input: child.stderr }).on('line', onLine)
    child.once('exit', (code) => reject(new Error(`process exited with ${code}`)))
  })
}

interface Caller {
  name: string
  call(id: number): Promise<void>
}

/** One MCP session over HTTP (initialize + initialized), then tools/call on it. */
async function httpCaller(name: string, url: string, upstream: Upstream): Promise<Caller> {
  const headers = await mcpSession(url, {}, '2025-11-25')
  return {
    name,
    async call(id) {
      const reply = await postJson(
        url,
        { jsonrpc: '2.0', id, method: 'tools/call', params: upstream.call },
        headers,
      )
      if (!reply.text.includes(upstream.answer))
        throw new Error(`${name}: unexpected reply ${reply.text.slice(0, 200)}`)
    },
  }
}

/** The stdio upstream called directly: newline-delimited JSON-RPC on its pipes, many requests in flight. */
async function stdioCaller(child: ChildProcess, upstream: Upstream): Promise<Caller> {
  const waiting = new Map<number, () => void>()
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const message = JSON.parse(line) as { id?: number }
    if (typeof message.id === 'number') waiting.get(message.id)?.()
  })
  const send = (message: unknown) => child.stdin!.write(`${JSON.stringify(message)}\n`)
  let next = 1_000_000
  const call = (method: string, params: unknown) =>
    new Promise<void>((resolve) => {
      const id = next++
      waiting.set(id, () => {
        waiting.delete(id)
        resolve()
      })
      send({ jsonrpc: '2.0', id, method, params })
    })
  await call('initialize', {
    protocolVersion: '2025-11-25',
    capabilities: {},
    clientInfo: { name: 'bench', version: '1' },
  })
  send({ jsonrpc: '2.0', method: 'notifications/initialized' })
  return { name: 'stdio direct', call: () => call('tools/call', upstream.call) }
}

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]
const median = (xs: number[]) => pct(xs, 50)

async function sequential(caller: Caller, latencies: number[]): Promise<void> {
  for (let i = 0; i < SEQUENTIAL_CALLS; i++) {
    const t0 = performance.now()
    await caller.call(i + 1)
    latencies.push(performance.now() - t0)
  }
}

/** CPU time (user + system) of a process, or of its descendants, in microseconds, from /proc. */
async function cpuMicros(pid: number, descendants: boolean): Promise<number> {
  if (descendants) {
    const kids = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '')
    let micros = 0
    for (const kid of kids.split(' ').filter(Boolean))
      micros += (await cpuMicros(Number(kid), false)) + (await cpuMicros(Number(kid), true))
    return micros
  }
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / TICKS_PER_SECOND || 0
}

/** Where a side's CPU goes: the bench process itself (the client), and named processes (trees). */
type Processes = Record<string, { pid: number; descendants: boolean }>
const cpuNow = async (processes: Processes) => {
  const out: Record<string, number> = {
    client: process.cpuUsage().user + process.cpuUsage().system,
  }
  for (const [name, p] of Object.entries(processes))
    out[name] = await cpuMicros(p.pid, p.descendants)
  return out
}

async function throughput(
  callers: Caller[],
  processes: Processes,
): Promise<{ rps: number; cpu: Record<string, number> }> {
  const before = await cpuNow(processes)
  const end = performance.now() + ROUND_MS
  const started = performance.now()
  let count = 0
  let id = 1
  await Promise.all(
    callers.map(async (c) => {
      while (performance.now() < end) {
        await c.call(id++)
        count++
      }
    }),
  )
  const rps = (count / (performance.now() - started)) * 1000
  const after = await cpuNow(processes)
  const cpu = Object.fromEntries(Object.keys(after).map((k) => [k, (after[k] - before[k]) / count]))
  return { rps, cpu }
}

interface Side {
  callers: Caller[]
  processes: Processes
}

/**
 * Interleaved rounds over the sides (the order rotates each round); the first side is the baseline every other
 * side's added latency and throughput ratio are measured against.
 */
async function compare(label: string, sides: Record<string, Side>): Promise<void> {
  const names = Object.keys(sides)
  const lat = Object.fromEntries(names.map((n) => [n, [] as number[]]))
  const rps = Object.fromEntries(names.map((n) => [n, [] as number[]]))
  const cpu = Object.fromEntries(names.map((n) => [n, [] as Record<string, number>[]]))
  for (const n of names) await sequential(sides[n].callers[0], [])
  for (let r = 0; r < ROUNDS; r++) {
    const order = names.map((_, i) => names[(i + r) % names.length])
    for (const n of order) await sequential(sides[n].callers[0], lat[n])
    for (const n of order) {
      const round = await throughput(sides[n].callers, sides[n].processes)
      rps[n].push(round.rps)
      cpu[n].push(round.cpu)
    }
  }
  const cpuLine = (rounds: Record<string, number>[]) =>
    Object.keys(rounds[0])
      .map((k) => `${k} ${median(rounds.map((c) => c[k])).toFixed(0)}`)
      .join(', ')
  const [base, ...others] = names
  names.forEach((n, i) =>
    console.log(
      `${(i ? '' : label).padEnd(6)} ${n.padEnd(8)} p50 ${median(lat[n]).toFixed(2).padStart(6)} ms  p99 ${pct(lat[n], 99).toFixed(2).padStart(6)} ` +
        `ms  ${median(rps[n]).toFixed(0).padStart(6)} req/s at ${CONCURRENCY}; CPU us/call: ${cpuLine(cpu[n])}`,
    ),
  )
  for (const n of others) {
    const added = median(lat[n]) - median(lat[base])
    const ratio = median(rps[n].map((g, i) => g / rps[base][i]))
    console.log(
      `${''.padEnd(6)} ${n}: added latency p50 ${added.toFixed(2)} ms${n === 'gateway' ? ' (target <= 1.5 ms)' : ''}; throughput ${n}/${base}, median of ${ROUNDS} rounds ${ratio.toFixed(2)}x${n === 'gateway' ? ' (target >= 0.7x)' : ''}`,
    )
  }
  for (const [other, meaning] of [
    ['floor', "what the Workbench's own work costs"],
    ['baseline', 'this tree against the earlier one'],
  ])
    if (rps[other] && rps.gateway)
      console.log(
        `${''.padEnd(6)} gateway/${other} throughput, median of the rounds' ratios ${median(rps.gateway.map((g, i) => g / rps[other][i])).toFixed(2)}x (${meaning})`,
      )
}

async function drive(): Promise<void> {
  const children: ChildProcess[] = []
  /** A child node process; a front (tsx) is profiled when asked, an upstream's stderr may be read for its URL. */
  const start = (args: string[], role: 'front' | 'upstream' = 'upstream') => {
    const profile =
      role === 'front'
        ? [
            ...(PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : []),
            ...(process.env.BENCH_WORKBENCH_FLAGS?.split(' ').filter(Boolean) ?? []),
          ]
        : []
    const child = spawn(process.execPath, [...profile, ...args], {
      stdio: ['pipe', 'pipe', role === 'upstream' ? 'pipe' : 'inherit'],
      env: { ...process.env, PORT: '0' },
    })
    // An upstream's stderr is read for its URL, then passed through.
    child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(chunk))
    children.push(child)
    return child
  }
  try {
    console.log(
      `gateway: ${SEQUENTIAL_CALLS} sequential calls and ${ROUND_MS} ms at ${CONCURRENCY} connections per round, ${ROUNDS} interleaved rounds`,
    )
    /** A front process (a Workbench of `tree`, or the raw forwarder) and the MCP URL it prints. */
    const startFront = async (args: string[]) => {
      const child = start(['--import', 'tsx', ...args], 'front')
      return { child, url: await firstLine(child, /^(http\S+\/mcp)$/) }
    }
    const startWorkbench = (tree: string, upstream: unknown) =>
      startFront([`${tree}bench/gateway.ts`, '--workbench', JSON.stringify(upstream)])
    const baselineTree = BASELINE ? `${BASELINE}/` : ''
    for (const key of UPSTREAM_KEYS) {
      const upstream = UPSTREAMS[key]
      if (!upstream) throw new Error(`BENCH_UPSTREAMS: no upstream "${key}"`)
      console.log(`upstream: ${upstream.label}`)
      const sessions = async (name: string, url: string) =>
        Promise.all(Array.from({ length: CONCURRENCY }, () => httpCaller(name, url, upstream)))
      /**
       * A side through a front: its CPU is the front's, plus the upstream's (over stdio the front's child
       * process tree: the watchdog and the upstream).
       */
      const frontSide = async (
        name: string,
        role: 'workbench' | 'forwarder',
        front: { child: ChildProcess; url: string },
        upstreamCpu: (front: ChildProcess) => Processes,
      ): Promise<Side> => ({
        callers: await sessions(name, front.url),
        processes: {
          [role]: { pid: front.child.pid!, descendants: false },
          ...upstreamCpu(front.child),
        },
      })
      /** Measures the direct side against the Workbench (and the baseline's, and the floor) in front of it. */
      const measure = async (
        label: string,
        direct: Side,
        config: unknown,
        forwarderArgs: string[],
        upstreamCpu: (front: ChildProcess) => Processes,
      ) => {
        const sides: Record<string, Side> = {
          direct,
          gateway: await frontSide(
            'gateway',
            'workbench',
            await startWorkbench('', config),
            upstreamCpu,
          ),
        }
        if (BASELINE) {
          const old = await startWorkbench(baselineTree, config)
          sides.baseline = await frontSide('baseline', 'workbench', old, upstreamCpu)
        }
        if (FLOOR) {
          const forwarder = await startFront(['bench/rawForwarder.ts', ...forwarderArgs])
          sides.floor = await frontSide('floor', 'forwarder', forwarder, upstreamCpu)
        }
        await compare(label, sides)
      }
      if (ONLY !== 'stdio') {
        const server = start(upstream.http)
        const url = await firstLine(server, /(?:LISTENING|LOOPBACK) (\S+)/)
        const upstreamCpu = () => ({ upstream: { pid: server.pid!, descendants: false } })
        const direct = { callers: await sessions('direct', url), processes: upstreamCpu() }
        await measure('HTTP', direct, { url }, ['http', url], upstreamCpu)
        server.kill()
      }
      if (ONLY !== 'http') {
        const server = start(upstream.stdio)
        const caller = await stdioCaller(server, upstream)
        const direct = {
          callers: Array.from({ length: CONCURRENCY }, () => caller),
          processes: { upstream: { pid: server.pid!, descendants: false } },
        }
        const config = { command: process.execPath, args: upstream.stdio }
        const childTree = (front: ChildProcess) => ({
          upstream: { pid: front.pid!, descendants: true },
        })
        await measure(
          'stdio',
          direct,
          config,
          ['stdio', process.execPath, ...upstream.stdio],
          childTree,
        )
        server.kill()
      }
    }
  } finally {
    for (const child of children) child.stdin?.end()
    await new Promise((r) => setTimeout(r, 300))
    for (const child of children) child.kill()
    closeKeepAlive()
  }
}

/**
 * `tsx bench/gateway.ts --soak [ms] [http|stdio]`: 8 connections through the gateway to an HTTP (default) or
 * stdio upstream for `ms` (default 5 minutes), the Workbench's RSS sampled every 10 s.
 */
async function soak(ms: number, transport: string): Promise<void> {
  const children: ChildProcess[] = []
  const start = (args: string[]) => {
    const child = spawn(process.execPath, args, {
      stdio: ['pipe', 'pipe', 'inherit'],
      env: { ...process.env, PORT: '0' },
    })
    children.push(child)
    return child
  }
  const rssMb = async (pid: number) => {
    const status = await readFile(`/proc/${pid}/status`, 'utf8')
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024
  }
  try {
    const upstream =
      transport === 'stdio'
        ? { command: process.execPath, args: [FIXTURE, '--stdio'] }
        : { url: await firstLine(start([FIXTURE]), /LISTENING (\S+)/) }
    const host = start([
      '--import',
      'tsx',
      'bench/gateway.ts',
      '--workbench',
      JSON.stringify(upstream),
    ])
    const url = await firstLine(host, /^(http\S+\/mcp)$/)
    const callers = await Promise.all(
      Array.from({ length: CONCURRENCY }, () => httpCaller('gateway', url, UPSTREAMS.recording)),
    )
    const end = performance.now() + ms
    const samples: number[] = []
    let calls = 0
    const sampler = setInterval(() => void rssMb(host.pid!).then((mb) => samples.push(mb)), 10_000)
    let id = 1
    await Promise.all(
      callers.map(async (c) => {
        while (performance.now() < end) {
          await c.call(id++)
          calls++
        }
      }),
    )
    clearInterval(sampler)
    const third = Math.max(1, Math.floor(samples.length / 3))
    const early = median(samples.slice(0, third))
    const late = median(samples.slice(-third))
    console.log(
      `gateway soak (${transport} upstream): ${calls} tools/call in ${(ms / 1000).toFixed(0)} s at ${CONCURRENCY} connections`,
    )
    console.log(`Workbench RSS (MB) every 10 s: ${samples.map((m) => m.toFixed(0)).join(' ')}`)
    console.log(
      `median of the first third ${early.toFixed(1)} MB, of the last third ${late.toFixed(1)} MB (${(((late - early) / early) * 100).toFixed(1)} %)`,
    )
  } finally {
    for (const child of children) child.stdin?.end()
    await new Promise((r) => setTimeout(r, 300))
    for (const child of children) child.kill()
    closeKeepAlive()
  }
}

if (process.argv[2] === '--soak')
  await soak(Number(process.argv[3] ?? 300_000), process.argv[4] ?? 'http')
else if (process.argv[2] === '--workbench')
  await hostWorkbench(JSON.parse(process.argv[3]) as Record<string, unknown>)
else await drive()
