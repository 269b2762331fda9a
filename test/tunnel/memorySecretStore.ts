import type { SecretStore, SecretStoreDescription } from '../../src/main/tunnel/secretStore'

export function createMemorySecretStore(
  description: Partial<SecretStoreDescription> = {},
): SecretStore & { values: Map<string, string> } {
  const values = new Map<string, string>()
  return {
    values,
    get: async (name) => values.get(name) ?? null,
    set: async (name, value) => void values.set(name, value),
    clear: async (name) => void values.delete(name),
    describe: () => ({
      backend: 'memory',
      encrypted: true,
      requiresConsent: false,
      warning: null,
      ...description,
    }),
  }
}
