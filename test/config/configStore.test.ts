import { mkdtemp, readFile, readdir, rm, writeFile, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createConfigStore } from '../../src/main/config/configStore'
import { mergeConfigPatch } from '../../src/main/config/mergeConfigPatch'
import { parseConfig, selectedIssuer } from '../../src/shared/config'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'workbench-config-'))
})
afterEach(() => rm(dir, { recursive: true, force: true }))

describe('the config schema', () => {
  it('fills every default from an empty object, and names no issuer as the development issuer', () => {
    const parsed = parseConfig({})
    expect(parsed.ok).toBe(true)
    if (!parsed.ok) return
    expect(parsed.config.server).toMatchObject({
      host: '127.0.0.1',
      port: 8001,
      publicUrl: null,
      allowedOrigins: [],
    })
    expect(parsed.config.auth.checks.rateLimit).toEqual({ enabled: false, perMinute: 60 })
    expect(parsed.config.devIssuer.users[0].permissions).toEqual([
      'user',
      'read:data',
      'write:data',
      'admin',
    ])
    expect(selectedIssuer(parsed.config.auth)).toBe('dev')
  })

  it('keeps issuerUrl working as an alias and lets "off" turn auth off', () => {
    const alias = parseConfig({ auth: { issuerUrl: 'https://tenant.us.auth0.com' } })
    expect(alias.ok && selectedIssuer(alias.config.auth)).toBe('https://tenant.us.auth0.com')
    const off = parseConfig({ auth: { issuer: 'off', issuerUrl: 'https://tenant.us.auth0.com' } })
    expect(off.ok && selectedIssuer(off.config.auth)).toBe('off')
  })

  it('names each bad field by its path', () => {
    const parsed = parseConfig({
      server: { port: 'eighty' },
      widgets: { pizza: { auth: 'maybe' } },
      auth: { issuer: 'ftp://x' },
    })
    expect(parsed.ok).toBe(false)
    if (parsed.ok) return
    expect(parsed.issues.map((i) => i.path).sort()).toEqual([
      'auth.issuer',
      'server.port',
      'widgets.pizza.auth',
    ])
  })

  it('refuses a scope with a space or a quote', () => {
    expect(parseConfig({ auth: { requiredScopes: ['read data'] } }).ok).toBe(false)
    expect(parseConfig({ widgets: { a: { auth: 'required', scopes: ['x"y'] } } }).ok).toBe(false)
  })
})

describe('the config store', () => {
  it('writes atomically, leaves no temporary file and keeps fields it does not know', async () => {
    const path = join(dir, 'config.json')
    await writeFile(path, JSON.stringify({ server: { port: 9000 }, comment: 'mine' }))
    const store = await createConfigStore({ path, watch: false })
    await store.update((raw) => ({ ...raw, widgets: { 'public-widget': { auth: 'required' } } }))
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({
      server: { port: 9000 },
      comment: 'mine',
      widgets: { 'public-widget': { auth: 'required' } },
    })
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([])
    expect(store.get().server.port).toBe(9000)
  })

  it('creates the file on the first change when there was none', async () => {
    const path = join(dir, 'nested', 'config.json')
    const store = await createConfigStore({ path, watch: false })
    expect(store.get().auth.issuer).toBeUndefined()
    await store.update((raw) => ({ ...raw, auth: { issuer: 'off' } }))
    expect((await stat(path)).isFile()).toBe(true)
  })

  it('refuses an invalid update without touching the file', async () => {
    const path = join(dir, 'config.json')
    await writeFile(path, '{}')
    const store = await createConfigStore({ path, watch: false })
    await expect(
      store.update((raw) => ({ ...raw, server: { port: 70000 } })),
    ).rejects.toMatchObject({ code: 'ERR_CONFIG_INVALID' })
    expect(await readFile(path, 'utf8')).toBe('{}')
  })

  it('fails to start on a bad file with a message naming the field', async () => {
    const path = join(dir, 'config.json')
    await writeFile(path, JSON.stringify({ auth: { clockToleranceSec: -1 } }))
    await expect(createConfigStore({ path, watch: false })).rejects.toMatchObject({
      code: 'ERR_CONFIG_INVALID',
      message: expect.stringContaining('auth.clockToleranceSec'),
    })
    await writeFile(path, '{ not json')
    await expect(createConfigStore({ path, watch: false })).rejects.toMatchObject({
      message: expect.stringContaining('not valid JSON'),
    })
  })

  it('serializes concurrent updates so none is lost', async () => {
    const path = join(dir, 'config.json')
    const store = await createConfigStore({ path, watch: false })
    await Promise.all(
      ['a', 'b', 'c', 'd'].map((id) =>
        store.update((raw) => ({
          ...raw,
          widgets: { ...(raw.widgets ?? {}), [id]: { auth: 'none' } },
        })),
      ),
    )
    expect(Object.keys(JSON.parse(await readFile(path, 'utf8')).widgets).sort()).toEqual([
      'a',
      'b',
      'c',
      'd',
    ])
  })
})

describe('config patches from the UI', () => {
  it('merge objects, replace arrays and scalars, and set null', () => {
    const raw = {
      server: { port: 1, allowedOrigins: ['a'] },
      auth: { issuer: 'dev', requiredScopes: ['x'] },
      widgets: { a: { auth: 'none' } },
    }
    expect(
      mergeConfigPatch(raw, {
        server: { allowedOrigins: ['b'] },
        auth: { audience: null },
        widgets: { b: { auth: 'required' } },
      }),
    ).toEqual({
      server: { port: 1, allowedOrigins: ['b'] },
      auth: { issuer: 'dev', requiredScopes: ['x'], audience: null },
      widgets: { b: { auth: 'required' } },
    })
  })
})
