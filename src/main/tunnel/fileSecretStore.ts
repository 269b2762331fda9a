import { chmod, mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { writeFileAtomic } from '../config/writeFileAtomic'
import {
  readSecretFile,
  removeSecretFile,
  type SecretStore,
  type SecretStoreDescription,
} from './secretStore'

export interface FileSecretStoreOptions {
  /** The data dir; secrets go to `<dir>/secrets/<name>` with mode 0600 (folder 0700). */
  dir: string
}

const NAME = /^[a-z0-9][a-z0-9-]{0,63}$/

/** Headless mode's store: one 0600 file per secret, readable by this user only (not encrypted). */
export function createFileSecretStore(options: FileSecretStoreOptions): SecretStore {
  const folder = join(options.dir, 'secrets')
  const pathOf = (name: string) => {
    if (!NAME.test(name)) throw new TypeError(`Invalid secret name: ${name}`)
    return join(folder, name)
  }
  const description: SecretStoreDescription = {
    backend: 'file',
    encrypted: false,
    requiresConsent: false,
    warning: `Stored unencrypted in ${folder}, readable only by your user (mode 0600).`,
  }
  return {
    async get(name) {
      return (await readSecretFile(pathOf(name)))?.trim() || null
    },
    async set(name, value) {
      const path = pathOf(name)
      await mkdir(folder, { recursive: true, mode: 0o700 })
      await chmod(folder, 0o700)
      await writeFileAtomic(path, value, { mode: 0o600 })
      await chmod(path, 0o600)
    },
    async clear(name) {
      await removeSecretFile(pathOf(name))
    },
    describe: () => description,
  }
}
