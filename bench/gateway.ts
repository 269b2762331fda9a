// npm run bench, gateway scenario: tools/call through the Workbench in gateway mode against the same upstream
// called directly, over Streamable HTTP and over stdio. Added latency p50 (one connection, sequential) and
// throughput at 8 connections, in interleaved rounds. Upstream and Workbench each run in their own process.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { closeKeepAlive, mcpSession, postJson } from './httpClient'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6)
const SEQUENTIAL_CALLS = Number(process.env.BENCH_SEQUENTIAL ?? 300)
const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 1500)
const CONCURRENCY = 8
const FIXTURE = join(
  import.meta.dirname,
  '..',
  'test',
  'gateway',
  'fixtures',
  'recordingServer.mjs',
)
const CALL = { name: 'echo', arguments: { text: 'bench' } }

/** The Workbench in its own process, in gateway mode, auth off (every tool public): prints its /mcp URL. */
async function hostWorkbench(upstream: Record<string, unknown>): Promise<void> {
  const { createWorkbench } = await import('../src/main/core')
  const dir = await mkdtemp(join(tmpdir(), 'bench-gateway-'))
  const workbench = await createWorkbench({
    configPath: null,
    dataDir: dir,
    port: 0,
    upstream: upstream as never,
  })
  await workbench.config.update((raw) => ({ ...raw, auth: { issuer: 'off' } }))
  await workbench.start()
  const deadline = Date.now() + 15_000
  while (!workbench.widgetSummaries().some((w) => w.id === 'echo') && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 50))
  console.log(workbench.mcpUrl())
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

function firstLine(child: ChildProcess, match: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = match.exec(line)
      if (m) resolve(m[1] ?? m[0])
    })
    child.once('exit', (code) => reject(new Error(`process exited with ${code}`)))
  })
}

interface Caller {
  name: string
  call(id: number): Promise<void>
}

/** One MCP session over HTTP (initialize + initialized), then tools/call on it. */
async function httpCaller(name: string, url: string): Promise<Caller> {
  const headers = await mcpSession(url, {}, '2025-11-25')
  return {
    name,
    async call(id) {
      const reply = await postJson(
        url,
        { jsonrpc: '2.0', id, method: 'tools/call', params: CALL },
        headers,
      )
      if (!reply.text.includes('"text":"bench"'))
        throw new Error(`${name}: unexpected reply ${reply.text.slice(0, 200)}`)
    },
  }
}

/** The stdio upstream called directly: newline-delimited JSON-RPC on its pipes, many requests in flight. */
async function stdioCaller(child: ChildProcess): Promise<Caller> {
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
  return { name: 'stdio direct', call: () => call('tools/call', CALL) }
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

async function throughput(callers: Caller[]): Promise<number> {
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
  return (count / (performance.now() - started)) * 1000
}

async function compare(
  label: string,
  direct: Caller[],
  gateway: Caller[],
): Promise<{ added: number; ratio: number }> {
  const lat = { direct: [] as number[], gateway: [] as number[] }
  const rps = { direct: [] as number[], gateway: [] as number[] }
  await sequential(direct[0], [])
  await sequential(gateway[0], [])
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 ? (['gateway', 'direct'] as const) : (['direct', 'gateway'] as const)
    for (const which of order)
      await sequential((which === 'direct' ? direct : gateway)[0], lat[which])
    for (const which of order)
      rps[which].push(await throughput(which === 'direct' ? direct : gateway))
  }
  const added = median(lat.gateway) - median(lat.direct)
  const ratio = median(rps.gateway.map((g, i) => g / rps.direct[i]))
  console.log(
    `${label.padEnd(6)} direct   p50 ${median(lat.direct).toFixed(2).padStart(6)} ms  p99 ${pct(lat.direct, 99).toFixed(2).padStart(6)} ` +
      `ms  ${median(rps.direct).toFixed(0).padStart(6)} req/s at ${CONCURRENCY}`,
  )
  console.log(
    `${''.padEnd(6)} gateway  p50 ${median(lat.gateway).toFixed(2).padStart(6)} ms  p99 ${pct(lat.gateway, 99).toFixed(2).padStart(6)} ` +
      `ms  ${median(rps.gateway).toFixed(0).padStart(6)} req/s at ${CONCURRENCY}`,
  )
  console.log(
    `${''.padEnd(6)} added latency p50 ${added.toFixed(2)} ms (target <= 1.5 ms); throughput gateway/direct, median of ${ROUNDS} rounds ${ratio.toFixed(2)}x (target >= 0.7x)`,
  )
  return { added, ratio }
}

async function drive(): Promise<void> {
  const children: ChildProcess[] = []
  const start = (args: string[]) => {
    const child = spawn(process.execPath, args, {
      stdio: ['pipe', 'pipe', 'inherit'],
      env: { ...process.env, PORT: '0' },
    })
    children.push(child)
    return child
  }
  try {
    console.log(
      `gateway: tools/call "echo", ${SEQUENTIAL_CALLS} sequential calls and ${ROUND_MS} ms at ${CONCURRENCY} connections per round, ${ROUNDS} interleaved rounds`,
    )
    const upstreamUrl = await firstLine(start([FIXTURE]), /LISTENING (\S+)/)
    const httpWorkbench = await firstLine(
      start([
        '--import',
        'tsx',
        'bench/gateway.ts',
        '--workbench',
        JSON.stringify({ url: upstreamUrl }),
      ]),
      /^(http\S+\/mcp)$/,
    )
    const sessions = async (name: string, url: string) =>
      Promise.all(Array.from({ length: CONCURRENCY }, () => httpCaller(name, url)))
    await compare(
      'HTTP',
      await sessions('direct', upstreamUrl),
      await sessions('gateway', httpWorkbench),
    )

    const direct = await stdioCaller(start([FIXTURE, '--stdio']))
    const stdioWorkbench = await firstLine(
      start([
        '--import',
        'tsx',
        'bench/gateway.ts',
        '--workbench',
        JSON.stringify({ command: process.execPath, args: [FIXTURE, '--stdio'] }),
      ]),
      /^(http\S+\/mcp)$/,
    )
    await compare(
      'stdio',
      Array.from({ length: CONCURRENCY }, () => direct),
      await sessions('gateway', stdioWorkbench),
    )
  } finally {
    for (const child of children) child.stdin?.end()
    await new Promise((r) => setTimeout(r, 300))
    for (const child of children) child.kill()
    closeKeepAlive()
  }
}

/** `tsx bench/gateway.ts --soak [ms]`: 8 connections through the HTTP gateway, the Workbench's RSS sampled. */
async function soak(ms: number): Promise<void> {
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
    const upstreamUrl = await firstLine(start([FIXTURE]), /LISTENING (\S+)/)
    const host = start([
      '--import',
      'tsx',
      'bench/gateway.ts',
      '--workbench',
      JSON.stringify({ url: upstreamUrl }),
    ])
    const url = await firstLine(host, /^(http\S+\/mcp)$/)
    const callers = await Promise.all(
      Array.from({ length: CONCURRENCY }, () => httpCaller('gateway', url)),
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
      `gateway soak: ${calls} tools/call in ${(ms / 1000).toFixed(0)} s at ${CONCURRENCY} connections`,
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

if (process.argv[2] === '--soak') await soak(Number(process.argv[3] ?? 300_000))
else if (process.argv[2] === '--workbench')
  await hostWorkbench(JSON.parse(process.argv[3]) as Record<string, unknown>)
else await drive()
