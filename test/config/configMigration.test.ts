import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createConfigStore } from '../../src/main/config/configStore'
import { selectedIssuer } from '../../src/shared/config'

let dir: string | undefined
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true })
  dir = undefined
})

async function storeFor(file: unknown) {
  dir = await mkdtemp(join(tmpdir(), 'workbench-migrate-'))
  const path = join(dir, 'config.json')
  await writeFile(path, JSON.stringify(file))
  return { path, store: await createConfigStore({ path, watch: false }) }
}

describe('an older config file is brought up to date on load', () => {
  it('folds the issuerUrl alias into issuer, drops tunnel.autoStart, and the next save writes neither', async () => {
    const { path, store } = await storeFor({
      auth: { issuerUrl: 'https://tenant.us.auth0.com/', audience: 'https://api.example.com' },
      tunnel: { domain: null, autoStart: true },
    })
    try {
      expect(selectedIssuer(store.get().auth)).toBe('https://tenant.us.auth0.com/')
      expect(store.raw()).toEqual({
        auth: { issuer: 'https://tenant.us.auth0.com/', audience: 'https://api.example.com' },
        tunnel: { domain: null },
      })
      // What the Auth screen saves: the issuer only, no alias to clear.
      await store.update((raw) => ({ ...raw, auth: { ...raw.auth, issuer: 'dev' } }))
      const written = JSON.parse(await readFile(path, 'utf8'))
      expect(written).toEqual({
        auth: { issuer: 'dev', audience: 'https://api.example.com' },
        tunnel: { domain: null },
      })
      expect(selectedIssuer(store.get().auth)).toBe('dev')
    } finally {
      store.close()
    }
  })

  it('lets issuer win over the alias, as it always did', async () => {
    const { store } = await storeFor({
      auth: { issuer: 'off', issuerUrl: 'https://tenant.us.auth0.com/' },
    })
    try {
      expect(selectedIssuer(store.get().auth)).toBe('off')
      expect(store.raw()).toEqual({ auth: { issuer: 'off' } })
    } finally {
      store.close()
    }
  })
})
