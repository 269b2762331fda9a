import { readdir, readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '..', '..')

async function sourceFiles(dir: string): Promise<string[]> {
  const out: string[] = []
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) out.push(...(await sourceFiles(path)))
    else if (/\.(ts|tsx|mts)$/.test(entry.name)) out.push(path)
  }
  return out
}

const importsElectron = (text: string) =>
  /from\s+['"]electron['"]|require\(\s*['"]electron['"]\s*\)|import\(\s*['"]electron['"]\s*\)/.test(
    text,
  )

// The server, verifier, issuer, tunnel, config and log run without Electron (tests, `serve`):
// only the entry and the IPC wiring may import it.
describe('the Electron boundary', () => {
  it('keeps electron out of src/main except index.ts and ipc/, and out of src/shared and src/renderer', async () => {
    const offenders: string[] = []
    for (const file of [
      ...(await sourceFiles(join(root, 'src/main'))),
      ...(await sourceFiles(join(root, 'src/shared'))),
      ...(await sourceFiles(join(root, 'src/renderer'))),
    ]) {
      const rel = relative(root, file)
      if (
        rel === join('src', 'main', 'index.ts') ||
        rel.startsWith(join('src', 'main', 'ipc') + '/')
      )
        continue
      if (importsElectron(await readFile(file, 'utf8'))) offenders.push(rel)
    }
    expect(offenders).toEqual([])
  })

  it('keeps node:* out of src/shared, which the renderer bundles', async () => {
    const offenders: string[] = []
    for (const file of await sourceFiles(join(root, 'src/shared')))
      if (/from\s+['"]node:/.test(await readFile(file, 'utf8')))
        offenders.push(relative(root, file))
    expect(offenders).toEqual([])
  })
})
