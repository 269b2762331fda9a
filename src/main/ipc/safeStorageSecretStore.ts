import { chmod, mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { SafeStorage } from 'electron'
import { WorkbenchError } from '../../shared/errors'
import { writeFileAtomic } from '../config/writeFileAtomic'
import {
  readSecretFile,
  removeSecretFile,
  type SecretStore,
  type SecretStoreDescription,
} from '../tunnel/secretStore'

export interface SafeStorageSecretStoreOptions {
  /** Electron's `safeStorage`, after `app` is ready. */
  safeStorage: Pick<
    SafeStorage,
    'encryptStringAsync' | 'decryptStringAsync' | 'getSelectedStorageBackend'
  >
  /** The data dir; encrypted secrets go to `<dir>/secrets/<name>.safe` (0600). */
  dir: string
  /** Default `process.platform`; the storage backend is only a question on Linux. */
  platform?: NodeJS.Platform
}

const NAME = /^[a-z0-9][a-z0-9-]{0,63}$/

/**
 * The app's store: secrets encrypted with Electron `safeStorage` (Keychain, DPAPI, libsecret or KWallet).
 * On Linux without a keyring Electron falls back to `basic_text`, a fixed key: `describe()` says so and the
 * tunnel controller asks the user before storing (`allowPlaintext`).
 */
export function createSafeStorageSecretStore(options: SafeStorageSecretStoreOptions): SecretStore {
  const { safeStorage } = options
  const folder = join(options.dir, 'secrets')
  const platform = options.platform ?? process.platform
  const pathOf = (name: string) => {
    if (!NAME.test(name)) throw new TypeError(`Invalid secret name: ${name}`)
    return join(folder, `${name}.safe`)
  }

  function describe(): SecretStoreDescription {
    if (platform !== 'linux')
      return {
        backend: `safeStorage:${platform === 'darwin' ? 'keychain' : 'dpapi'}`,
        encrypted: true,
        requiresConsent: false,
        warning: null,
      }
    const backend = safeStorage.getSelectedStorageBackend()
    if (backend === 'basic_text' || backend === 'unknown') {
      return {
        backend: `safeStorage:${backend}`,
        encrypted: false,
        requiresConsent: true,
        warning:
          'No system keyring (GNOME Keyring or KWallet) is available, so the ngrok authtoken would be stored effectively unencrypted ' +
          `in ${folder} (readable only by your user). Install or unlock a keyring, or set NGROK_AUTHTOKEN instead.`,
      }
    }
    return {
      backend: `safeStorage:${backend}`,
      encrypted: true,
      requiresConsent: false,
      warning: null,
    }
  }

  return {
    async get(name) {
      const data = await readSecretFile(pathOf(name))
      if (data === null) return null
      try {
        const { result } = await safeStorage.decryptStringAsync(Buffer.from(data.trim(), 'base64'))
        return result || null
      } catch (err) {
        throw new WorkbenchError(
          'ERR_TUNNEL_AUTHTOKEN',
          'The stored ngrok authtoken cannot be decrypted (the keyring changed). Set it again.',
          { cause: err },
        )
      }
    },
    async set(name, value) {
      const path = pathOf(name)
      let encrypted: Buffer
      try {
        encrypted = await safeStorage.encryptStringAsync(value)
      } catch (err) {
        throw new WorkbenchError(
          'ERR_TUNNEL_AUTHTOKEN',
          'The system keyring is not available, so the authtoken cannot be stored. Set NGROK_AUTHTOKEN instead.',
          { cause: err },
        )
      }
      await mkdir(folder, { recursive: true, mode: 0o700 })
      await writeFileAtomic(path, encrypted.toString('base64'), { mode: 0o600 })
      await chmod(path, 0o600)
    },
    async clear(name) {
      await removeSecretFile(pathOf(name))
    },
    describe,
  }
}
