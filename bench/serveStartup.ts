// Part of `npm run bench`: how long `npm run serve` takes from process start to the `MCP endpoint:`
// line, on the built code (run after `npm run build`), each run on a fresh data folder as a
// newcomer's first run.
import { spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const RUNS = Number(process.env.BENCH_SERVE_RUNS ?? 7)

async function timeToEndpoint(): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-serve-'))
  await writeFile(join(dir, 'config.json'), JSON.stringify({ server: { port: 0 } }))
  const args = ['scripts/serve.mjs', '--config', join(dir, 'config.json'), '--no-ui']
  const started = performance.now()
  const child = spawn(process.execPath, args, {
    env: { ...process.env, WORKBENCH_DATA_DIR: join(dir, 'data') },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  try {
    return await new Promise<number>((resolve, reject) => {
      let out = ''
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString()
        if (out.includes('MCP endpoint:')) resolve(performance.now() - started)
      })
      child.stderr.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('Building'))
          reject(new Error('out/ is stale: run `npm run build` first'))
      })
      child.on('exit', (code) =>
        reject(new Error(`serve exited (${code}) before the endpoint line`)),
      )
    })
  } finally {
    child.kill('SIGINT')
    await new Promise((r) => child.once('exit', r))
    await rm(dir, { recursive: true, force: true })
  }
}

const times: number[] = []
for (let i = 0; i < RUNS; i++) times.push(await timeToEndpoint())
const sorted = [...times].sort((a, b) => a - b)
const median = sorted[Math.floor(sorted.length / 2)]
console.log(
  `npm run serve, process start → "MCP endpoint:" line (built, fresh data folder, ${RUNS} runs): ` +
    `median ${median.toFixed(0)} ms, min ${sorted[0].toFixed(0)} ms, max ${sorted.at(-1)!.toFixed(0)} ms`,
)
