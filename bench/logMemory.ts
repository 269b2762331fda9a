// npm run bench: the server's RSS under 400 anonymous requests of 1 MiB (issue 8 item 2: well under +150 MiB).
import { mcpSession, openBridge, postJson, startServeChild } from './serveChild'

const COUNT = Number(process.env.BENCH_LOG_REQUESTS ?? 400)
const LIMIT_MIB = 150

const server = await startServeChild({ auth: { issuer: 'off' } })
try {
  const bridge = await openBridge(server.uiPort, server.secret)
  const headers = await mcpSession(server.mcpUrl)
  for (let i = 0; i < 20; i++)
    await postJson(server.mcpUrl, { jsonrpc: '2.0', id: `warm-${i}`, method: 'ping' }, headers)
  const before = await server.rssMiB()
  const pad = 'x'.repeat(1024 * 1024 - 256)
  let peak = before
  for (let i = 0; i < COUNT; i++) {
    const reply = await postJson(
      server.mcpUrl,
      { jsonrpc: '2.0', id: `big-${i}`, method: 'ping', params: { pad } },
      headers,
    )
    if (reply.status !== 200)
      throw new Error(`request ${i}: HTTP ${reply.status} ${reply.text.slice(0, 200)}`)
    if (i % 50 === 49) peak = Math.max(peak, await server.rssMiB())
  }
  const after = await server.rssMiB()
  peak = Math.max(peak, after)
  // Small traffic for a few seconds: what the server holds once V8 has collected the bodies' garbage.
  for (let i = 0; i < 50; i++) {
    await postJson(server.mcpUrl, { jsonrpc: '2.0', id: `settle-${i}`, method: 'ping' }, headers)
    await new Promise((r) => setTimeout(r, 60))
  }
  const settled = await server.rssMiB()
  const events = await server.invoke<unknown[]>('log:snapshot')
  const logBytes = Buffer.byteLength(JSON.stringify(events))
  console.log(`log memory: ${COUNT} requests of 1 MiB with the UI bridge open`)
  console.log(
    `  server RSS before ${before.toFixed(1)} MiB, after ${after.toFixed(1)} MiB, peak ${peak.toFixed(1)} MiB`,
  )
  console.log(
    `  growth ${(after - before).toFixed(1)} MiB (peak +${(peak - before).toFixed(1)} MiB; limit +${LIMIT_MIB} MiB)`,
  )
  console.log(
    `  after 3 s of light traffic: ${settled.toFixed(1)} MiB (+${(settled - before).toFixed(1)} MiB)`,
  )
  console.log(
    `  log: ${events.length} events, ${(logBytes / 1024 / 1024).toFixed(1)} MiB as JSON; bridge saw ${bridge.count()} events`,
  )
  bridge.ws.close()
  if (peak - before >= LIMIT_MIB) process.exitCode = 1
} finally {
  await server.close()
}
