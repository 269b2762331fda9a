import { execFile } from 'node:child_process'
import { join } from 'node:path'

export const root = join(import.meta.dirname, '..', '..')
const bin = join(root, 'node_modules', '.bin')
/** Node 22 (the suite's minimum) comes from node_modules/.bin, ahead of the system's. */
const env = { ...process.env, PATH: `${bin}:${process.env.PATH}` }

export interface Run {
  output: string
  code: number
}

export function run(command: string, args: string[], timeoutMs: number): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { cwd: root, env, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0
        resolve({ output: `${stdout}\n${stderr}`, code })
      },
    )
  })
}

export const conformance = (args: string[], timeoutMs = 120_000) =>
  run(join(bin, 'conformance'), args, timeoutMs)

/** The scenarios a revision requires for one role, as `conformance list --requirements` prints them. */
export async function requiredScenarios(
  revision: string,
  role: 'Client' | 'Server',
): Promise<string[]> {
  const { output } = await conformance(['list', '--requirements', revision])
  const section = output.split(`${role} scenarios`)[1]?.split(/\n\s*\n/)[0] ?? ''
  return [...section.matchAll(/^\s+- (\S+)$/gm)].map((m) => m[1])
}

/** Runs `worker` over `items`, at most `limit` at a time (the CI machine has 2 cores). */
export async function bounded<T, R>(
  items: T[],
  limit: number,
  worker: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length)
  let next = 0
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++
      results[i] = await worker(items[i])
    }
  })
  await Promise.all(lanes)
  return results
}

/** "Passed: 14/14, 0 failed" from one scenario's run. */
export function tally(output: string): { passed: number; failed: number } | null {
  const m = /Passed: (\d+)\/\d+, (\d+) failed/.exec(output)
  return m ? { passed: Number(m[1]), failed: Number(m[2]) } : null
}
