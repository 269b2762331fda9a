import {
  chmod,
  mkdtemp,
  readFile,
  rename,
  rm,
  stat,
  symlink,
  unlink,
  writeFile,
  lstat,
} from 'node:fs/promises'
import { homedir, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createConfigStore, type ConfigStore } from '../../src/main/config/configStore'
import { resolveDataDir } from '../../src/main/config/dataDir'

let dir: string
let store: ConfigStore | undefined
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'workbench-config-watch-'))
})
afterEach(async () => {
  store?.close()
  store = undefined
  await rm(dir, { recursive: true, force: true })
})

const until = async (check: () => boolean, what: string): Promise<void> => {
  for (let i = 0; i < 400; i++) {
    if (check()) return
    await new Promise((r) => setTimeout(r, 25))
  }
  throw new Error(`timed out waiting for ${what}`)
}
const settle = () => new Promise((r) => setTimeout(r, 150))

/** Saves as vim, JetBrains and `sed -i` do: a new file renamed over the old one. */
async function saveByRename(path: string, text: string): Promise<void> {
  await writeFile(`${path}.new`, text)
  await rename(`${path}.new`, path)
}

describe('the config file while serving', () => {
  it('keeps hot reload working across saves that rename over the file', async () => {
    const path = join(dir, 'config.json')
    await writeFile(path, JSON.stringify({ server: { port: 9000 } }))
    store = await createConfigStore({ path })
    const s = store
    for (const port of [9001, 9002, 9003]) {
      await settle()
      await saveByRename(path, JSON.stringify({ server: { port } }))
      await until(() => s.get().server.port === port, `port ${port}`)
    }
  })

  it('keeps the last good config when the file is emptied or deleted, and says so until it is back', async () => {
    const path = join(dir, 'config.json')
    const good = JSON.stringify({ widgets: { 'public-widget': { auth: 'required' } } })
    await writeFile(path, good)
    store = await createConfigStore({ path })
    const s = store
    await settle()
    await writeFile(path, '')
    await until(() => s.lastError() !== null, 'the empty-file error')
    expect(s.lastError()).toContain('empty')
    expect(s.get().widgets['public-widget']).toEqual({ auth: 'required' })
    await writeFile(path, good)
    await until(() => s.lastError() === null, 'the error to clear')
    await settle()
    await unlink(path)
    await until(() => s.lastError() !== null, 'the deleted-file error')
    expect(s.lastError()).toContain('deleted')
    expect(s.get().widgets['public-widget']).toEqual({ auth: 'required' })
    await writeFile(path, good)
    await until(() => s.lastError() === null, 'the error to clear once the file is back')
  })

  it('clears the error on the next good load, even when the bad edit is undone to the same text', async () => {
    const path = join(dir, 'config.json')
    const good = JSON.stringify({ server: { port: 9000 } })
    await writeFile(path, good)
    store = await createConfigStore({ path })
    const s = store
    await settle()
    await writeFile(path, '{ "server": { "port": "eighty" } }')
    await until(() => s.lastError() !== null, 'the error')
    await settle()
    await writeFile(path, good)
    await until(() => s.lastError() === null, 'the error to clear')
  })

  it('warns about unknown keys, naming the nearest valid one', async () => {
    const path = join(dir, 'config.json')
    await writeFile(
      path,
      JSON.stringify({
        server: { prot: 9000 },
        auth: { requiredScope: ['x'] },
        log: { maxBytes: 2097152 },
      }),
    )
    const told: string[] = []
    store = await createConfigStore({ path, watch: false, onWarning: (w) => told.push(w) })
    expect(store.warnings()).toEqual([
      'server.prot: unknown key (did you mean server.port?)',
      'auth.requiredScope: unknown key (did you mean auth.requiredScopes?)',
    ])
    expect(told).toEqual(store.warnings())
  })

  it('keeps a 0600 file 0600 and writes through a symlinked config', async () => {
    const real = join(dir, 'real.json')
    const link = join(dir, 'config.json')
    await writeFile(real, JSON.stringify({ server: { port: 9000 } }))
    await chmod(real, 0o600)
    await symlink(real, link)
    store = await createConfigStore({ path: link, watch: false })
    await store.update((raw) => ({ ...raw, widgets: { a: { auth: 'required' } } }))
    expect((await lstat(link)).isSymbolicLink()).toBe(true)
    expect((await stat(real)).mode & 0o777).toBe(0o600)
    expect(JSON.parse(await readFile(real, 'utf8'))).toEqual({
      server: { port: 9000 },
      widgets: { a: { auth: 'required' } },
    })
  })
})

describe('the data folder', () => {
  it('treats an empty XDG_CONFIG_HOME as unset instead of using the current directory', () => {
    expect(resolveDataDir({ XDG_CONFIG_HOME: '' }, 'linux')).toBe(
      join(homedir(), '.config', 'mcp-auth-workbench'),
    )
    expect(resolveDataDir({ XDG_CONFIG_HOME: 'relative' }, 'linux')).toBe(
      join(homedir(), '.config', 'mcp-auth-workbench'),
    )
    expect(resolveDataDir({ XDG_CONFIG_HOME: '/x/cfg' }, 'linux')).toBe('/x/cfg/mcp-auth-workbench')
  })
})
