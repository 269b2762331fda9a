import { spawn, type ChildProcess } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const require = createRequire(import.meta.url)
export const RECORDING_SERVER = join(here, 'fixtures', 'recordingServer.mjs')
const LOOPBACK_ONLY = join(here, 'fixtures', 'loopbackOnly.mjs')

/** The real MCP Apps example servers (their bin, dist/index.js). */
export function basicServerEntry(kind: 'vanillajs' | 'react'): string {
  return join(dirname(require.resolve(`@modelcontextprotocol/server-basic-${kind}`)), 'index.js')
}

export interface RunningUpstream {
  url: string
  child: ChildProcess
  stop(): Promise<void>
}

/** Starts an upstream over Streamable HTTP on 127.0.0.1 and resolves with its URL. */
export function startHttpUpstream(
  kind: 'recording' | 'vanillajs' | 'react',
): Promise<RunningUpstream> {
  const args =
    kind === 'recording' ? [RECORDING_SERVER] : ['--import', LOOPBACK_ONLY, basicServerEntry(kind)]
  const child = spawn(process.execPath, args, {
    env: { ...process.env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve()
      child.once('exit', () => resolve())
      child.kill('SIGKILL')
    })
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${kind} upstream did not start`)), 15_000)
    const onLine = (line: string) => {
      const match = /(?:LISTENING|LOOPBACK) (http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(line)
      if (!match) return
      clearTimeout(timer)
      resolve({ url: match[1], child, stop })
    }
    createInterface({ input: child.stdout! }).on('line', onLine)
    createInterface({ input: child.stderr! }).on('line', onLine)
    child.once('exit', (code) => reject(new Error(`${kind} upstream exited with ${code}`)))
  })
}
