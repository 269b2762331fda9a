import { readFile, unlink } from 'node:fs/promises'

/** How a secret store keeps its secrets, so the UI can warn before storing one in the clear. */
export interface SecretStoreDescription {
  /** `safeStorage:<backend>` (e.g. `safeStorage:gnome_libsecret`), or `file`. */
  backend: string
  /** True when secrets are encrypted with a key the OS keeps for this user. */
  encrypted: boolean
  /** True when storing needs the user's explicit consent (`allowPlaintext`). */
  requiresConsent: boolean
  /** Plain-language note about where the secret goes, shown before storing. */
  warning: string | null
}

/** A small store for named secrets (the ngrok authtoken). Values never leave the main process. */
export interface SecretStore {
  get(name: string): Promise<string | null>
  set(name: string, value: string): Promise<void>
  clear(name: string): Promise<void>
  describe(): SecretStoreDescription
}

/** A secret file's text, or null when there is none. */
export async function readSecretFile(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw err
  }
}

/** Removes a secret file; one that is already gone is fine. */
export async function removeSecretFile(path: string): Promise<void> {
  await unlink(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err
  })
}
