// `serve` in a child process (one node process: RSS is the server's), with its UI bridge, for the benches.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { WebSocket } from 'ws'
import { BRIDGE_PROTOCOL, BRIDGE_SECRET_PROTOCOL_PREFIX } from '../src/shared/bridgeProtocol'

export interface ServeChild {
  child: ChildProcess
  mcpUrl: string
  uiPort: number
  secret: string
  exited: () => number | null
  rssMiB(): Promise<number>
  invoke<T>(command: string, args?: unknown[]): Promise<T>
  forge(body: Record<string, unknown>): Promise<string>
  close(): Promise<void>
}

export async function startServeChild(config: Record<string, unknown> = {}): Promise<ServeChild> {
  const dir = await mkdtemp(join(tmpdir(), 'workbench-bench-'))
  const configPath = join(dir, 'config.json')
  await writeFile(configPath, JSON.stringify(config))
  const flags = process.env.BENCH_NODE_FLAGS ? process.env.BENCH_NODE_FLAGS.split(' ') : []
  const child = spawn(
    process.execPath,
    [...flags, '--import', 'tsx', 'src/main/serve.ts', '--port', '0', '--config', configPath],
    {
      env: { ...process.env, WORKBENCH_DATA_DIR: join(dir, 'data') },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let exitCode: number | null = null
  child.on('exit', (code, signal) => (exitCode = code ?? (signal ? 128 : 0)))
  child.stderr?.on('data', (d: Buffer) => process.env.BENCH_VERBOSE && process.stderr.write(d))
  const lines = createInterface({ input: child.stdout! })
  const found: { mcp?: string; ui?: string } = {}
  await new Promise<void>((resolve, reject) => {
    child.once('exit', () => reject(new Error('serve exited before it was ready')))
    lines.on('line', (line) => {
      const mcp = /^MCP endpoint: (\S+)/.exec(line)
      const ui = /^Workbench UI: (\S+)/.exec(line)
      if (mcp) found.mcp = mcp[1]
      if (ui) found.ui = ui[1]
      if (found.mcp && found.ui) resolve()
    })
  })
  const ui = new URL(found.ui as string)
  const secret = new URLSearchParams(ui.hash.slice(1)).get('secret') as string
  const uiPort = Number(ui.port)
  const api = async (path: string, body: unknown) => {
    const response = await fetch(`http://127.0.0.1:${uiPort}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    const reply = (await response.json()) as {
      ok: boolean
      value?: unknown
      error?: { message: string }
    }
    if (!reply.ok) throw new Error(`${path}: ${reply.error?.message}`)
    return reply.value
  }
  return {
    child,
    mcpUrl: found.mcp as string,
    uiPort,
    secret,
    exited: () => exitCode,
    rssMiB: () => rssOf(child.pid as number),
    invoke: async <T>(command: string, args: unknown[] = []) =>
      (await api(`/api/invoke/${command}`, args)) as T,
    forge: async (body) => ((await api('/api/forge', body)) as { token: string }).token,
    async close() {
      child.kill('SIGTERM')
      await new Promise((r) => (exitCode !== null ? r(null) : child.once('exit', r)))
      await rm(dir, { recursive: true, force: true })
    },
  }
}

async function rssOf(pid: number): Promise<number> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8')
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]) / 1024
  } catch {
    return (
      Number(
        execFileSync('ps', ['-o', 'rss=', '-p', String(pid)])
          .toString()
          .trim(),
      ) / 1024
    )
  }
}

/** A bridge connection, as the UI holds it, counting the events it receives. */
export async function openBridge(
  uiPort: number,
  secret: string,
): Promise<{ ws: WebSocket; logged: Set<string>; count: () => number; bytes: () => number }> {
  const ws = new WebSocket(
    `ws://127.0.0.1:${uiPort}/bridge`,
    [BRIDGE_PROTOCOL, `${BRIDGE_SECRET_PROTOCOL_PREFIX}${secret}`],
    { origin: `http://127.0.0.1:${uiPort}` },
  )
  const logged = new Set<string>()
  let count = 0
  let bytes = 0
  ws.on('message', (data) => {
    const message = JSON.parse(String(data)) as { event?: string; payload?: { rpcId: unknown }[] }
    if (message.event !== 'log:appended') return
    for (const e of message.payload ?? []) {
      count++
      bytes += JSON.stringify(e).length
      if (e.rpcId !== null && e.rpcId !== undefined) logged.add(String(e.rpcId))
    }
  })
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  return { ws, logged, count: () => count, bytes: () => bytes }
}

export { httpRequest, mcpSession, postJson, type Reply } from './httpClient'
