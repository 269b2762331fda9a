// `npm start`: the desktop app. Where the Electron binary is missing (its download is blocked in
// some places), say so in one line and point at the headless mode, instead of a download attempt
// and a stack trace.
import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = dirname(dirname(fileURLToPath(import.meta.url)))
if (!existsSync(join(root, 'node_modules', 'electron-vite', 'package.json'))) {
  console.error('Dependencies are not installed: run `npm ci` first, then `npm start`.')
  process.exit(1)
}

const require = createRequire(import.meta.url)

function electronBinary() {
  if (process.env.ELECTRON_EXEC_PATH)
    return existsSync(process.env.ELECTRON_EXEC_PATH) ? process.env.ELECTRON_EXEC_PATH : null
  const dir = dirname(require.resolve('electron/package.json'))
  const pathFile = join(dir, 'path.txt')
  if (!existsSync(pathFile)) return null
  const binary = join(
    process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(dir, 'dist'),
    readFileSync(pathFile, 'utf8').trim(),
  )
  return existsSync(binary) ? binary : null
}

// npm may skip Electron's install script (npm 11 runs only approved ones): fetch the binary on
// first launch.
if (!electronBinary()) {
  const installer = join(dirname(require.resolve('electron/package.json')), 'install.js')
  console.error('Fetching the Electron binary (first launch)…')
  await new Promise((resolve) => {
    const child = spawn(process.execPath, [installer], {
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 300_000,
    })
    child.stderr.resume()
    child.on('exit', resolve)
    child.on('error', resolve)
  })
}

if (!electronBinary()) {
  console.error(
    'The Electron binary could not be downloaded (node_modules/electron/dist is missing): run `npm run serve` and open the printed "Workbench UI" URL in a browser instead.',
  )
  process.exit(1)
}

// electron-vite preview builds main, preload and renderer, then starts Electron on the result.
const child = spawn(
  process.execPath,
  [
    join(dirname(require.resolve('electron-vite/package.json')), 'bin', 'electron-vite.js'),
    'preview',
    ...process.argv.slice(2),
  ],
  { stdio: 'inherit' },
)
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
