// npm run bench: tools/call throughput and latency, ours (anonymous public, authenticated protected) against a
// reference server built like the SDK's examples, interleaved in one run. Servers run in a child process.
import { spawn } from 'node:child_process'
import { Agent, request } from 'node:http'
import { createInterface } from 'node:readline'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 8)
const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 1500)
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8)

const child = spawn(process.execPath, [...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : []), '--import', 'tsx', 'bench/servers.ts'], { stdio: ['pipe', 'pipe', 'inherit'] })
const first = await new Promise<string>((resolve) => createInterface({ input: child.stdout! }).once('line', resolve))
const { ours, reference, cpu, token } = JSON.parse(first) as { ours: string; reference: string; cpu: string; token: string }
const serverCpuMicros = async () => Number(await (await fetch(cpu)).text())
const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY })

async function post(url: string, body: unknown, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  try {
    return await postOnce(url, body, headers)
  } catch (err) {
    // A keep-alive socket the server closed while idle between rounds: send again on a fresh one.
    if ((err as NodeJS.ErrnoException).code !== 'ECONNRESET') throw err
    return postOnce(url, body, headers)
  }
}

function postOnce(url: string, body: unknown, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  const u = new URL(url)
  const data = JSON.stringify(body)
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', agent, headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'content-length': Buffer.byteLength(data), ...headers } }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (c) => (text += c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }))
    })
    req.on('error', reject)
    req.end(data)
  })
}

async function session(url: string, auth: Record<string, string>): Promise<Record<string, string>> {
  const init = await post(url, { jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '1' } } }, auth)
  const sid = String(init.headers['mcp-session-id'])
  const headers = { ...auth, 'mcp-session-id': sid, 'mcp-protocol-version': '2025-06-18' }
  await post(url, { jsonrpc: '2.0', method: 'notifications/initialized' }, headers)
  return headers
}

interface Target { name: string; url: string; headers: Record<string, string>[]; tool: string; expect: string; latencies: number[]; count: number; ms: number; rounds?: number[]; cpuMicros?: number }
const bearer = { authorization: `Bearer ${token}` }
const targets: Target[] = [
  { name: 'ours, anonymous public-widget', url: ours, headers: [], tool: 'public-widget', expect: 'This is public content', latencies: [], count: 0, ms: 0 },
  { name: 'ours, authenticated protected-widget', url: ours, headers: [], tool: 'protected-widget', expect: 'Hello, Alice!', latencies: [], count: 0, ms: 0 },
  { name: 'reference, authenticated protected-widget', url: reference, headers: [], tool: 'protected-widget', expect: 'Hello, Alice!', latencies: [], count: 0, ms: 0 },
]
for (let i = 0; i < CONCURRENCY; i++) {
  targets[0].headers.push(await session(ours, {}))
  targets[1].headers.push(await session(ours, bearer))
  targets[2].headers.push({ ...bearer, 'mcp-protocol-version': '2025-06-18' })
}

async function runRound(target: Target): Promise<void> {
  const end = performance.now() + ROUND_MS
  const started = performance.now()
  const before = target.count
  const cpuBefore = await serverCpuMicros()
  let id = 1
  await Promise.all(target.headers.map(async (headers) => {
    while (performance.now() < end) {
      const t0 = performance.now()
      const reply = await post(target.url, { jsonrpc: '2.0', id: id++, method: 'tools/call', params: { name: target.tool, arguments: { message: 'bench' } } }, headers)
      const t1 = performance.now()
      if (reply.status !== 200 || !reply.text.includes(target.expect)) throw new Error(`${target.name}: unexpected reply ${reply.status} ${reply.text.slice(0, 200)}`)
      target.latencies.push(t1 - t0)
      target.count++
    }
  }))
  const ms = performance.now() - started
  target.cpuMicros = (target.cpuMicros ?? 0) + (await serverCpuMicros()) - cpuBefore
  target.ms += ms
  ;(target.rounds ??= []).push(((target.count - before) / ms) * 1000)
}

for (const target of targets) await runRound({ ...target, latencies: [], count: 0, ms: 0 })
for (let r = 0; r < ROUNDS; r++) for (const target of r % 2 ? [...targets].reverse() : targets) await runRound(target)

const pct = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
}
const rows = targets.map((t) => ({ name: t.name, rps: (t.count / t.ms) * 1000, p50: pct(t.latencies, 50), p99: pct(t.latencies, 99), n: t.count, cpu: (t.cpuMicros ?? 0) / t.count }))
console.log(`tools/call, ${CONCURRENCY} concurrent keep-alive clients, ${ROUNDS} interleaved rounds of ${ROUND_MS} ms (warm JWKS)`)
for (const r of rows) console.log(`${r.name.padEnd(44)} ${r.rps.toFixed(0).padStart(7)} req/s   p50 ${r.p50.toFixed(2).padStart(6)} ms   p99 ${r.p99.toFixed(2).padStart(6)} ms   server CPU ${r.cpu.toFixed(0).padStart(4)} µs/call   (${r.n} calls)`)
// Per-round ratios of neighbouring runs, then their median: robust to the machine's slow phases.
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const ratios = (a: Target, b: Target) => a.rounds!.map((r, i) => r / b.rounds![i])
const authedVsAnon = median(ratios(targets[1], targets[0]))
const authedVsRef = median(ratios(targets[1], targets[2]))
console.log(`per-round req/s: ${targets.map((t) => `${t.name.split(',')[0]}/${t.tool}: ${t.rounds!.map((r) => r.toFixed(0)).join(' ')}`).join(' | ')}`)
console.log(`authenticated / anonymous (ours), median of ${ROUNDS} rounds: ${authedVsAnon.toFixed(2)}x   (target >= 0.95x)`)
console.log(`ours authenticated / reference authenticated, median of ${ROUNDS} rounds: ${authedVsRef.toFixed(2)}x   (target >= 2x)`)
console.log(`server CPU per call, authenticated / anonymous (ours): ${(rows[1].cpu / rows[0].cpu).toFixed(2)}x; reference / ours authenticated: ${(rows[2].cpu / rows[1].cpu).toFixed(2)}x`)
child.stdin!.end()
agent.destroy()
process.exit(0)
