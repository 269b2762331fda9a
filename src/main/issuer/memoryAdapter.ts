type Payload = Record<string, unknown> & { uid?: string; userCode?: string; grantId?: string; consumed?: number }

interface Entry {
  payload: Payload
  expiresAt: number | null
}

/**
 * oidc-provider's storage adapter, in memory and private to one development issuer, so it survives the
 * provider rebuild on a new public URL (registered clients stay valid) and dies with the issuer.
 */
export function createMemoryAdapterFactory(): (model: string) => object {
  const store = new Map<string, Entry>()
  const key = (model: string, id: string) => `${model}:${id}`

  const read = (k: string): Payload | undefined => {
    const entry = store.get(k)
    if (!entry) return undefined
    if (entry.expiresAt !== null && entry.expiresAt <= Date.now()) {
      store.delete(k)
      return undefined
    }
    return entry.payload
  }

  return (model: string) => ({
    async upsert(id: string, payload: Payload, expiresIn?: number) {
      store.set(key(model, id), { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : null })
    },
    async find(id: string) {
      return read(key(model, id))
    },
    async findByUid(uid: string) {
      for (const [k, entry] of store) if (k.startsWith(`${model}:`) && entry.payload.uid === uid) return read(k)
      return undefined
    },
    async findByUserCode(userCode: string) {
      for (const [k, entry] of store) if (k.startsWith(`${model}:`) && entry.payload.userCode === userCode) return read(k)
      return undefined
    },
    async consume(id: string) {
      const payload = read(key(model, id))
      if (payload) payload.consumed = Math.floor(Date.now() / 1000)
    },
    async destroy(id: string) {
      store.delete(key(model, id))
    },
    async revokeByGrantId(grantId: string) {
      for (const [k, entry] of store) if (entry.payload.grantId === grantId) store.delete(k)
    },
  })
}
