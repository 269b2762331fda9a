// npm run bench: tools/call throughput and latency, ours (anonymous public, authenticated protected) against a
// reference server built like the SDK v2 docs, in both protocol eras (2025 sessions, 2026-07-28 stateless),
// interleaved in one run. Each server runs in its own child process; the local issuer (JWKS, token) runs here.
import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { startLocalIssuer } from '../test/support/localIssuer'
import { closeKeepAlive, mcpSession, postJson, type Reply } from './httpClient'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 8)
const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 1500)
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8)

const AUDIENCE = 'https://bench.workbench.test/mcp'
const issuer = await startLocalIssuer()
const token = await issuer.mint(
  { sub: 'bench|alice', aud: AUDIENCE, scope: 'user read:data', name: 'Alice' },
  {},
)

/** One server per child process (bench/servers.ts); its CPU endpoint charges each round its own time. */
const children: ChildProcess[] = []
async function startServer(kind: 'ours' | 'reference' | 'floor') {
  const profile = process.env.BENCH_CPU_PROF
  const child = spawn(
    process.execPath,
    [
      ...(profile ? ['--cpu-prof', '--cpu-prof-dir', profile] : []),
      '--import',
      'tsx',
      'bench/servers.ts',
      kind,
    ],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
      env: {
        ...process.env,
        BENCH_ISSUER: issuer.issuer,
        BENCH_JWKS: issuer.jwksUri,
        BENCH_AUDIENCE: AUDIENCE,
      },
    },
  )
  children.push(child)
  const first = await new Promise<string>((resolve) =>
    createInterface({ input: child.stdout! }).once('line', resolve),
  )
  return JSON.parse(first) as { url: string; legacyUrl: string; cpu: string }
}
const [ours, reference, floor] = await Promise.all([
  startServer('ours'),
  startServer('reference'),
  startServer('floor'),
])
const cpuOf = new Map(
  [ours, reference, floor].flatMap((s) => [
    [s.url, s.cpu],
    [s.legacyUrl, s.cpu],
  ]),
)
const serverCpuMicros = async (url: string) => Number(await (await fetch(cpuOf.get(url)!)).text())
async function post(url: string, body: unknown, headers: Record<string, string>): Promise<Reply> {
  try {
    return await postJson(url, body, headers)
  } catch (err) {
    // A keep-alive socket the server closed while idle between rounds: send again on a fresh one.
    if ((err as NodeJS.ErrnoException).code !== 'ECONNRESET') throw err
    return postJson(url, body, headers)
  }
}

type Era = 'legacy' | 'modern'
interface Target {
  name: string
  era: Era
  url: string
  headers: Record<string, string>[]
  tool: string
  expect: string
  latencies: number[]
  count: number
  ms: number
  rounds?: number[]
  cpuMicros?: number
}
const bearer = { authorization: `Bearer ${token}` }
const MODERN = '2026-07-28'
const target = (name: string, era: Era, url: string, tool: string, expect: string): Target => ({
  name: `${name} (${era === 'legacy' ? '2025' : '2026'})`,
  era,
  url,
  headers: [],
  tool,
  expect,
  latencies: [],
  count: 0,
  ms: 0,
})
const PUBLIC = ['public-widget', 'This is public content'] as const
const PROTECTED = ['protected-widget', 'Hello, Alice!'] as const
/** Per era: anonymous and signed-in on the same public widget (the token's cost), then ours vs the reference. */
const targets: Target[] = (['legacy', 'modern'] as const).flatMap((era) => [
  target('ours, anonymous public-widget', era, ours.url, ...PUBLIC),
  target('ours, authenticated public-widget', era, ours.url, ...PUBLIC),
  target('ours, authenticated protected-widget', era, ours.url, ...PROTECTED),
  target('reference, authenticated protected-widget', era, reference.url, ...PROTECTED),
])
targets.push(
  target('SDK floor: sessions, no auth, no log', 'legacy', floor.legacyUrl, ...PROTECTED),
  target('SDK floor: pooled, no auth, no log', 'modern', floor.url, ...PROTECTED),
)
const modernHeaders = (auth: Record<string, string>, tool: string) => ({
  ...auth,
  'mcp-protocol-version': MODERN,
  'mcp-method': 'tools/call',
  'mcp-name': tool,
})
for (let i = 0; i < CONCURRENCY; i++) {
  targets[0].headers.push(await mcpSession(ours.url, {}))
  targets[1].headers.push(await mcpSession(ours.url, bearer))
  targets[2].headers.push(await mcpSession(ours.url, bearer))
  targets[3].headers.push({ ...bearer, 'mcp-protocol-version': '2025-06-18' })
  targets[4].headers.push(modernHeaders({}, 'public-widget'))
  targets[5].headers.push(modernHeaders(bearer, 'public-widget'))
  targets[6].headers.push(modernHeaders(bearer, 'protected-widget'))
  targets[7].headers.push(modernHeaders(bearer, 'protected-widget'))
  targets[8].headers.push(await mcpSession(floor.legacyUrl, {}))
  targets[9].headers.push(modernHeaders({}, 'protected-widget'))
}

/** A tools/call as each era sends it: 2026-07-28 carries the version and client identity in `_meta`. */
function callBody(t: Target, id: number) {
  const params: Record<string, unknown> = { name: t.tool, arguments: { message: 'bench' } }
  if (t.era === 'modern') {
    params._meta = {
      'io.modelcontextprotocol/protocolVersion': MODERN,
      'io.modelcontextprotocol/clientInfo': { name: 'bench', version: '1' },
      'io.modelcontextprotocol/clientCapabilities': {},
    }
  }
  return { jsonrpc: '2.0', id, method: 'tools/call', params }
}

async function runRound(target: Target): Promise<void> {
  const end = performance.now() + ROUND_MS
  const started = performance.now()
  const before = target.count
  const cpuBefore = await serverCpuMicros(target.url)
  let id = 1
  await Promise.all(
    target.headers.map(async (headers) => {
      while (performance.now() < end) {
        const t0 = performance.now()
        const reply = await post(target.url, callBody(target, id++), headers)
        const t1 = performance.now()
        if (reply.status !== 200 || !reply.text.includes(target.expect))
          throw new Error(
            `${target.name}: unexpected reply ${reply.status} ${reply.text.slice(0, 200)}`,
          )
        target.latencies.push(t1 - t0)
        target.count++
      }
    }),
  )
  const ms = performance.now() - started
  target.cpuMicros = (target.cpuMicros ?? 0) + (await serverCpuMicros(target.url)) - cpuBefore
  target.ms += ms
  ;(target.rounds ??= []).push(((target.count - before) / ms) * 1000)
}

// BENCH_ONLY (a regular expression on the row name) runs a subset, e.g. to profile one path.
const only = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY) : undefined
const selected = only ? targets.filter((t) => only.test(t.name)) : targets
for (const target of selected) await runRound({ ...target, latencies: [], count: 0, ms: 0 })
for (let r = 0; r < ROUNDS; r++)
  for (const target of r % 2 ? [...selected].reverse() : selected) await runRound(target)

const pct = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
}
const rows = selected.map((t) => ({
  name: t.name,
  rps: (t.count / t.ms) * 1000,
  p50: pct(t.latencies, 50),
  p99: pct(t.latencies, 99),
  n: t.count,
  cpu: (t.cpuMicros ?? 0) / t.count,
}))
console.log(
  `tools/call, ${CONCURRENCY} concurrent keep-alive clients, ${ROUNDS} interleaved rounds of ${ROUND_MS} ms (warm JWKS)`,
)
for (const r of rows) {
  const rps = `${r.rps.toFixed(0).padStart(7)} req/s`
  const latency = `p50 ${r.p50.toFixed(2).padStart(6)} ms   p99 ${r.p99.toFixed(2).padStart(6)} ms`
  const cpuPerCall = `server CPU ${r.cpu.toFixed(0).padStart(4)} µs/call`
  console.log(`${r.name.padEnd(52)} ${rps}   ${latency}   ${cpuPerCall}   (${r.n} calls)`)
}
if (only) {
  for (const child of children) child.stdin!.end()
  closeKeepAlive()
  process.exit(0)
}
// Per-round ratios of neighbouring runs, then their median: robust to the machine's slow phases.
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const ratios = (a: Target, b: Target) => a.rounds!.map((r, i) => r / b.rounds![i])
const perRound = (t: Target) => t.rounds!.map((r) => r.toFixed(0)).join(' ')
console.log(`per-round req/s: ${targets.map((t) => `${t.name}: ${perRound(t)}`).join(' | ')}`)
for (const [era, base] of [
  ['2025 sessions', 0],
  ['2026-07-28 stateless', 4],
] as const) {
  const [anon, signedIn, authed, ref] = targets.slice(base, base + 4)
  const [anonRow, signedInRow, authedRow, refRow] = rows.slice(base, base + 4)
  const rounds = `median of ${ROUNDS} rounds`
  const validToken = median(ratios(signedIn, anon)).toFixed(2)
  const vsReference = median(ratios(authed, ref)).toFixed(2)
  console.log(
    `${era}: valid token / anonymous, same widget, ${rounds}: ${validToken}x   (>= 0.95x)`,
  )
  console.log(`${era}: ours / reference, authenticated, ${rounds}: ${vsReference}x   (>= 2x)`)
  const cpuToken = (signedInRow.cpu / anonRow.cpu).toFixed(2)
  const cpuReference = (refRow.cpu / authedRow.cpu).toFixed(2)
  console.log(
    `${era}: server CPU per call, valid token / anonymous: ${cpuToken}x; reference / ours: ${cpuReference}x`,
  )
}
// For scale: the reference against the SDK's entry doing nothing else (no token, no decision, no log).
for (const [era, floorAt, refAt] of [
  ['2025 sessions', 8, 3],
  ['2026-07-28 stateless', 9, 7],
] as const) {
  const ratio = median(ratios(targets[floorAt], targets[refAt])).toFixed(2)
  const cpuRatio = (rows[refAt].cpu / rows[floorAt].cpu).toFixed(2)
  console.log(
    `${era}: the SDK entry alone (no auth, no log) / reference, median of ${ROUNDS} rounds: ${ratio}x req/s, ${cpuRatio}x server CPU`,
  )
}
for (const child of children) child.stdin!.end()
closeKeepAlive()
process.exit(0)
