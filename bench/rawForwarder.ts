// Child process of bench/gateway.ts (BENCH_FLOOR=1): the thinnest HTTP front there is, to bound what any gateway
// can reach on this machine. `http <url>`: every request relayed as bytes over keep-alive node:http, nothing
// decoded. `stdio <command> [args]`: one child initialized once; each POSTed request's id renamed, the line
// written to the child, its answer sent back as JSON. No auth, no log, no session check: not a product path.
import { spawn } from 'node:child_process'
import { Agent, createServer, request } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createInterface } from 'node:readline'

const [mode, target, ...rest] = process.argv.slice(2)
const agent = new Agent({ keepAlive: true, maxSockets: 64 })
const HOP = new Set(['host', 'connection', 'keep-alive', 'transfer-encoding'])

function httpFront(upstream: URL) {
  return createServer((req, res) => {
    const headers: Record<string, string | string[]> = {}
    for (const [k, v] of Object.entries(req.headers))
      if (v !== undefined && !HOP.has(k)) headers[k] = v
    const out = request(upstream, { method: req.method, headers, agent }, (answer) => {
      const back: Record<string, string | string[]> = {}
      for (const [k, v] of Object.entries(answer.headers))
        if (v !== undefined && !HOP.has(k)) back[k] = v
      res.writeHead(answer.statusCode ?? 502, back)
      answer.pipe(res)
    })
    out.on('error', () => res.destroy())
    req.pipe(out)
  })
}

function stdioFront(command: string, args: string[]) {
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'] })
  const waiting = new Map<number, (line: string) => void>()
  createInterface({ input: child.stdout }).on('line', (line) => {
    const m = JSON.parse(line) as { id?: number }
    if (typeof m.id === 'number') waiting.get(m.id)?.(line)
  })
  let next = 1
  const ask = (message: Record<string, unknown>) =>
    new Promise<Record<string, unknown>>((resolve) => {
      const id = next++
      waiting.set(id, (line) => {
        waiting.delete(id)
        resolve(JSON.parse(line) as Record<string, unknown>)
      })
      child.stdin.write(`${JSON.stringify({ ...message, id })}\n`)
    })
  const init = ask({
    jsonrpc: '2.0',
    method: 'initialize',
    params: {
      protocolVersion: '2025-11-25',
      capabilities: {},
      clientInfo: { name: 'f', version: '1' },
    },
  }).then((answer) => {
    child.stdin.write('{"jsonrpc":"2.0","method":"notifications/initialized"}\n')
    return answer
  })
  return createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const message = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>
      const reply = (answer: Record<string, unknown>) => {
        res.writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': 'floor' })
        res.end(JSON.stringify({ ...answer, id: message.id }))
      }
      if (message.id === undefined) return void res.writeHead(202).end()
      if (message.method === 'initialize') return void init.then(reply)
      void ask(message).then(reply)
    })
  })
}

const server = mode === 'http' ? httpFront(new URL(target)) : stdioFront(target, rest)
server.listen(0, '127.0.0.1', () =>
  console.log(`http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`),
)
process.stdin.resume()
process.stdin.on('end', () => process.exit(0))
