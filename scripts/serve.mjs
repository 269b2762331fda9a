// `npm run serve`: the headless server and the browser UI, run from the built code in out/ (no
// TypeScript compiler at start-up). Builds first when out/ is missing or older than the sources.
// Imports nothing from node_modules before checking that it is there.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { enableCompileCache } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { isBuildStale } from './buildFreshness.mjs'

const root = dirname(dirname(fileURLToPath(import.meta.url)))
const servePath = join(root, 'out', 'main', 'serve.js')

if (!existsSync(join(root, 'node_modules', 'electron-vite', 'package.json'))) {
  console.error('Dependencies are not installed: run `npm ci` first, then `npm run serve`.')
  process.exit(1)
}

function build() {
  const cli = join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js')
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, 'build'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const output = []
    child.stdout.on('data', (chunk) => output.push(chunk))
    child.stderr.on('data', (chunk) => output.push(chunk))
    child.on('error', (err) => resolve({ ok: false, output: err.message }))
    child.on('exit', (code) =>
      resolve({ ok: code === 0, output: Buffer.concat(output).toString() }),
    )
  })
}

if (isBuildStale(root)) {
  console.error('Building the server and the UI first (out/ is missing or older than src/), ~10 s…')
  const result = await build()
  if (!result.ok) {
    console.error(result.output.trimEnd())
    console.error('The build failed (output above); `npm run build` shows the same.')
    process.exit(1)
  }
}

// V8 keeps the compiled code of serve and its dependencies on disk: later starts skip most parsing.
enableCompileCache()
// serve.js runs its command line when it is the script node was started with.
process.argv[1] = servePath
await import(pathToFileURL(servePath).href)
