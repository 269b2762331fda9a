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
