import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  createSafeStorageSecretStore,
  type SafeStorageSecretStoreOptions,
} from '../../src/main/ipc/safeStorageSecretStore'
import { createFileSecretStore } from '../../src/main/tunnel/fileSecretStore'

const TOKEN = '2xYzAbCdEfGhIjKlMnOpQrStUv_1a2B3c4D5e6F7g8H9i0JkLmN'
let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'workbench-secrets-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

// Electron's binary is not available here: a stand-in with safeStorage's async API and a reversible "cipher".
function fakeSafeStorage(
  backend: ReturnType<SafeStorageSecretStoreOptions['safeStorage']['getSelectedStorageBackend']>,
): SafeStorageSecretStoreOptions['safeStorage'] {
  return {
    getSelectedStorageBackend: () => backend,
    encryptStringAsync: async (plain: string) =>
      Buffer.from(`v10${Buffer.from(plain).reverse().toString('hex')}`),
    decryptStringAsync: async (buffer: Buffer) => ({
      result: Buffer.from(buffer.toString().slice(3), 'hex').reverse().toString(),
      shouldReEncrypt: false,
    }),
  }
}

describe('file secret store (headless)', () => {
  it('keeps the authtoken in a 0600 file inside a 0700 folder and reads it back', async () => {
    const store = createFileSecretStore({ dir })
    expect(await store.get('ngrok-authtoken')).toBeNull()
    await store.set('ngrok-authtoken', TOKEN)
    expect(await store.get('ngrok-authtoken')).toBe(TOKEN)
    expect((await stat(join(dir, 'secrets', 'ngrok-authtoken'))).mode & 0o777).toBe(0o600)
    expect((await stat(join(dir, 'secrets'))).mode & 0o777).toBe(0o700)
    await store.clear('ngrok-authtoken')
    expect(await store.get('ngrok-authtoken')).toBeNull()
  })

  it('refuses secret names that could escape the folder', async () => {
    await expect(createFileSecretStore({ dir }).set('../config.json', 'x')).rejects.toBeInstanceOf(
      TypeError,
    )
  })
})

describe('safeStorage secret store (app)', () => {
  it('stores only ciphertext, 0600, and decrypts it back', async () => {
    const store = createSafeStorageSecretStore({
      safeStorage: fakeSafeStorage('gnome_libsecret'),
      dir,
      platform: 'linux',
    })
    expect(store.describe()).toMatchObject({ encrypted: true, requiresConsent: false })
    await store.set('ngrok-authtoken', TOKEN)
    const file = join(dir, 'secrets', 'ngrok-authtoken.safe')
    expect(await readFile(file, 'utf8')).not.toContain(TOKEN)
    expect((await stat(file)).mode & 0o777).toBe(0o600)
    expect(await store.get('ngrok-authtoken')).toBe(TOKEN)
  })

  it('on Linux with only the basic_text backend, reports it so the user is asked first', () => {
    const store = createSafeStorageSecretStore({
      safeStorage: fakeSafeStorage('basic_text'),
      dir,
      platform: 'linux',
    })
    expect(store.describe()).toMatchObject({
      backend: 'safeStorage:basic_text',
      encrypted: false,
      requiresConsent: true,
    })
    expect(store.describe().warning).toMatch(/keyring/)
  })

  it('does not ask about the backend on macOS and Windows', () => {
    for (const platform of ['darwin', 'win32'] as const) {
      expect(
        createSafeStorageSecretStore({
          safeStorage: fakeSafeStorage('unknown'),
          dir,
          platform,
        }).describe(),
      ).toMatchObject({ encrypted: true, requiresConsent: false })
    }
  })
})
