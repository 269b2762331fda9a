// npm run soak [-- --minutes N]: mixed traffic against `serve` with the UI bridge connected (issue 8, Proof):
// valid, expired and forged tokens, anonymous calls, large and deeply nested bodies, registrations.
// Passes with 0 crashes, 0 unexpected errors, flat RSS after warm-up and every request in the log.
import { parseArgs } from 'node:util'
import { mcpSession, openBridge, postJson, startServeChild, type Reply } from './serveChild'

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '4' },
    // The log's byte budget (log.maxBytes); a smaller one fills sooner, for short runs.
    'log-mib': { type: 'string', default: '64' },
  },
})
const logMiB = Number(values['log-mib'])
const minutes = Number(values.minutes)
const concurrency = Number(values.concurrency)
if (!(minutes > 0) || !(concurrency > 0) || !(logMiB >= 1))
  throw new Error(
    '--minutes, --concurrency and --log-mib take positive numbers (--log-mib at least 1)',
  )
const durationMs = minutes * 60_000

const server = await startServeChild({
  devIssuer: { accessTokenTtlSec: 86_400 },
  log: { maxBytes: logMiB * 1024 * 1024 },
})
const bridge = await openBridge(server.uiPort, server.secret)
const mcp = server.mcpUrl
const origin = new URL(mcp).origin
const valid = await server.forge({
  variant: 'valid',
  subject: 'dev|alice',
  scopes: ['user', 'read:data'],
  lifetimeSec: 86_400,
})
const expired = await server.forge({ variant: 'expired' })
const forged = await Promise.all(
  (['badSignature', 'wrongAudience', 'algNone', 'wrongIssuer'] as const).map((variant) =>
    server.forge({ variant }),
  ),
)
const bearer = (token: string) => ({ authorization: `Bearer ${token}` })
const anonymous = await mcpSession(mcp)
const signedIn = await mcpSession(mcp, bearer(valid))
let sent = 4 // the two sessions' initialize + initialized

let nextId = 1
const sentIds = new Set<string>()
const call = (name: string, args: unknown) => {
  const id = `soak-${nextId++}`
  sentIds.add(id)
  return {
    id,
    body: `{"jsonrpc":"2.0","id":"${id}","method":"tools/call","params":{"name":"${name}","arguments":${typeof args === 'string' ? args : JSON.stringify(args)}}}`,
  }
}
const post = (body: string, headers: Record<string, string>): Promise<Reply> => {
  sent++
  return postJson(mcp, body, headers)
}
const rpcResult = (
  reply: Reply,
): { result?: { isError?: boolean; _meta?: Record<string, unknown> }; error?: unknown } | null => {
  const data =
    reply.text
      .split('\n')
      .filter((l) => l.startsWith('data:'))
      .map((l) => l.slice(5))
      .at(-1) ?? reply.text
  try {
    return JSON.parse(data)
  } catch {
    return null
  }
}
const nested = `{"deep":${'['.repeat(10_000)}${']'.repeat(10_000)}}`
const large = { message: 'x'.repeat(512 * 1024) }

type Check = (reply: Reply) => string | null
const kinds: { name: string; weight: number; run: () => Promise<[Reply, Check]> }[] = [
  {
    name: 'valid token',
    weight: 4,
    run: async () => [
      await post(call('protected-widget', { message: 'hi' }).body, signedIn),
      (r) =>
        r.status === 200 && rpcResult(r)?.result && !rpcResult(r)?.result?.isError
          ? null
          : 'not a tool result',
    ],
  },
  {
    name: 'expired token',
    weight: 2,
    run: async () => [
      await post(call('protected-widget', {}).body, { ...signedIn, ...bearer(expired) }),
      (r) => (r.status === 401 ? null : 'not 401'),
    ],
  },
  {
    name: 'forged token',
    weight: 2,
    run: async () => [
      await post(call('protected-widget', {}).body, {
        ...signedIn,
        ...bearer(forged[nextId % forged.length]),
      }),
      (r) => (r.status === 401 ? null : 'not 401'),
    ],
  },
  {
    name: 'anonymous public',
    weight: 3,
    run: async () => [
      await post(call('public-widget', { message: 'hi' }).body, anonymous),
      (r) =>
        r.status === 200 && rpcResult(r)?.result?.isError === undefined
          ? null
          : 'not a tool result',
    ],
  },
  {
    name: 'anonymous protected',
    weight: 2,
    run: async () => [
      await post(call('protected-widget', {}).body, anonymous),
      (r) => (rpcResult(r)?.result?._meta?.['mcp/www_authenticate'] ? null : 'no sign-in hint'),
    ],
  },
  {
    name: 'large body',
    weight: 1,
    run: async () => [
      await post(call('public-widget', large).body, anonymous),
      (r) => (r.status < 500 && rpcResult(r) ? null : 'no JSON-RPC reply'),
    ],
  },
  {
    name: 'deeply nested',
    weight: 1,
    run: async () => [
      await post(call('public-widget', nested).body, anonymous),
      (r) => (r.status < 500 && rpcResult(r) ? null : 'no JSON-RPC reply'),
    ],
  },
  {
    name: 'registration',
    weight: 1,
    run: async () => {
      sent++
      const body = JSON.stringify({
        client_name: 'soak',
        redirect_uris: ['http://127.0.0.1:53100/callback'],
        token_endpoint_auth_method: 'none',
      })
      const reply = await postJson(`${origin}/oauth/reg`, body)
      return [reply, (r) => ([201, 429].includes(r.status) ? null : `HTTP ${r.status}`)]
    },
  },
]
const bag = kinds.flatMap((k) => Array<typeof k>(k.weight).fill(k))

const counts = new Map<string, { ok: number; unexpected: number }>(
  kinds.map((k) => [k.name, { ok: 0, unexpected: 0 }]),
)
const unexpected: string[] = []
const samples: { at: number; rss: number }[] = []
const started = Date.now()
let crashed = false
// The log grows until it holds 10,000 events or ~64 MiB (log.maxBytes); RSS can only be flat after that.
let logFullAt: number | null = null

const sampler = setInterval(
  () => {
    if (logFullAt === null && (bridge.count() >= 10_000 || bridge.bytes() >= logMiB * 1024 * 1024))
      logFullAt = Date.now() - started
    if (server.exited() !== null) crashed = true
    else
      void server.rssMiB().then(
        (rss) => samples.push({ at: Date.now() - started, rss }),
        () => {},
      )
  },
  Math.max(2000, durationMs / 30),
)

async function loop(): Promise<void> {
  while (Date.now() - started < durationMs && !crashed) {
    const kind = bag[Math.floor(Math.random() * bag.length)]
    const tally = counts.get(kind.name) as { ok: number; unexpected: number }
    try {
      const [reply, check] = await kind.run()
      const problem = reply.status >= 500 ? `HTTP ${reply.status}` : check(reply)
      if (problem) {
        tally.unexpected++
        if (unexpected.length < 20)
          unexpected.push(`${kind.name}: ${problem}: ${reply.text.slice(0, 160)}`)
      } else tally.ok++
    } catch (err) {
      tally.unexpected++
      if (server.exited() !== null) crashed = true
      if (unexpected.length < 20) unexpected.push(`${kind.name}: ${(err as Error).message}`)
    }
  }
}
await Promise.all(Array.from({ length: concurrency }, loop))
clearInterval(sampler)
samples.push({ at: Date.now() - started, rss: await server.rssMiB().catch(() => NaN) })

// Every request must reach the UI's log: the bridge's count, and each tools/call id.
const waitUntil = Date.now() + 15_000
while (bridge.count() < sent && Date.now() < waitUntil) await new Promise((r) => setTimeout(r, 100))
const missing = [...sentIds].filter((id) => !bridge.logged.has(id))

const total = [...counts.values()].reduce((n, c) => n + c.ok + c.unexpected, 0)
const bad = [...counts.values()].reduce((n, c) => n + c.unexpected, 0)
console.log(`soak: ${minutes} min, ${concurrency} concurrent clients, UI bridge connected`)
console.log(
  `  ${total} requests (${(total / (durationMs / 1000)).toFixed(1)}/s); crashes ${crashed ? 1 : 0}; unexpected ${bad}`,
)
for (const [name, c] of counts)
  console.log(
    `    ${name.padEnd(20)} ${String(c.ok).padStart(7)} ok ${c.unexpected ? `${c.unexpected} unexpected` : ''}`,
  )
for (const line of unexpected) console.log(`    ! ${line}`)
console.log(
  `  log: ${sent} HTTP requests sent, ${bridge.count()} events on the bridge, ${missing.length} tools/call ids missing`,
)
console.log('  RSS (MiB) over time:')
const max = Math.max(...samples.map((s) => s.rss))
for (const s of samples)
  console.log(
    `    ${fmt(s.at)} ${s.rss.toFixed(1).padStart(7)} ${'#'.repeat(Math.round((s.rss / max) * 50))}`,
  )
const warmUpMs = Math.max(durationMs * 0.2, logFullAt ?? durationMs)
const warm = samples.filter((s) => s.at >= warmUpMs)
const base = warm[0]?.rss ?? NaN
const tail = warm
  .slice(-Math.max(1, Math.floor(warm.length / 4)))
  .map((s) => s.rss)
  .sort((a, b) => a - b)
const tailMedian = tail[Math.floor(tail.length / 2)]
// Flat needs a full log and at least four samples after it; otherwise the run was too short to tell.
const judged = logFullAt !== null && warm.length >= 4
const flat = judged && tailMedian - base <= Math.max(32, base * 0.2)
const full = logFullAt === null ? 'never (run longer)' : fmt(logFullAt)
console.log(`  warm-up: 20% of the run or until the log is full (${full}), ended ${fmt(warmUpMs)}`)
console.log(
  `  after warm-up: ${base.toFixed(1)} MiB → last-quarter median ${tailMedian.toFixed(1)} MiB: ${!judged ? 'TOO SHORT TO TELL (run longer or lower --log-mib)' : flat ? 'flat' : 'GROWING'}`,
)

bridge.ws.close()
await server.close()
const pass = !crashed && bad === 0 && flat && missing.length === 0 && bridge.count() >= sent
console.log(pass ? 'soak: PASS' : 'soak: FAIL')
process.exitCode = pass ? 0 : 1

function fmt(ms: number): string {
  const s = Math.round(ms / 1000)
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`
}
