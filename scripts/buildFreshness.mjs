// Whether out/ must be built again before `npm run serve` runs it. Node built-ins only: runs before
// anyone checks that node_modules is there.
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

/** What `serve` runs; both come from one `electron-vite build`. */
const BUILT = ['out/main/serve.js', 'out/renderer/index.html']
/** What the build reads. */
const SOURCES = ['src', 'electron.vite.config.ts', 'package.json']

function newestMtime(path) {
  const stat = statSync(path, { throwIfNoEntry: false })
  if (!stat) return 0
  if (!stat.isDirectory()) return stat.mtimeMs
  let newest = stat.mtimeMs
  for (const entry of readdirSync(path, { recursive: true })) {
    newest = Math.max(newest, statSync(join(path, entry), { throwIfNoEntry: false })?.mtimeMs ?? 0)
  }
  return newest
}

/** True when a built file is missing or any source is newer than the oldest built file. */
export function isBuildStale(root) {
  const built = BUILT.map((f) => statSync(join(root, f), { throwIfNoEntry: false })?.mtimeMs ?? 0)
  const oldestBuilt = Math.min(...built)
  return oldestBuilt === 0 || SOURCES.some((p) => newestMtime(join(root, p)) > oldestBuilt)
}
