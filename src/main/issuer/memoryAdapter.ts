type Payload = Record<string, unknown> & {
  uid?: string
  userCode?: string
  grantId?: string
  consumed?: number
  clientId?: string
}

interface Entry {
  payload: Payload
  expiresAt: number | null
  /** Clients: last looked up, for least-recently-used eviction. */
  usedAt?: number
}

/** Bounds on dynamically registered clients (anonymous callers reach /oauth/reg through the tunnel). */
export interface ClientLimits {
  maxClients(): number
  /** Seconds a client that never completed a grant is kept. */
  unusedTtlSec(): number
}

/**
 * Entries an anonymous caller can create (each GET /oauth/auth starts an interaction) kept at most,
 * per model; past it the least recently written go first.
 */
export const ANONYMOUS_MODEL_CAPS: Readonly<Record<string, number>> = {
  Interaction: 10_000,
  Session: 10_000,
  PushedAuthorizationRequest: 10_000,
}
const SWEEP_EVERY = 500

/**
 * oidc-provider's storage adapter, in memory and private to one development issuer, so it survives the
 * provider rebuild on a new public URL (registered clients stay valid) and dies with the issuer.
 */
export function createMemoryAdapterFactory(
  limits?: ClientLimits,
  caps: Readonly<Record<string, number>> = ANONYMOUS_MODEL_CAPS,
): (model: string) => object {
  const store = new Map<string, Entry>()
  const key = (model: string, id: string) => `${model}:${id}`
  /** Keys of the capped models, least recently written first. */
  const order = new Map<string, Set<string>>()
  let writes = 0

  /** Expired entries are otherwise dropped only when read, and most never are. */
  function sweepExpired() {
    const now = Date.now()
    for (const [k, entry] of store) {
      if (entry.expiresAt === null || entry.expiresAt > now) continue
      store.delete(k)
      order.get(k.slice(0, k.indexOf(':')))?.delete(k)
    }
  }

  /** Notes a write to a capped model; its least recently written entries go past the cap. */
  function admitCapped(model: string, k: string) {
    const cap = caps[model]
    if (cap === undefined) return
    const keys = order.get(model) ?? new Set<string>()
    order.set(model, keys)
    keys.delete(k)
    keys.add(k)
    for (const oldest of keys) {
      if (keys.size <= cap) break
      keys.delete(oldest)
      store.delete(oldest)
    }
  }
  const clients = () => [...store.entries()].filter(([k]) => k.startsWith('Client:'))

  function admitClient(k: string, payload: Payload) {
    if (!limits) return void store.set(k, { payload, expiresAt: null, usedAt: Date.now() })
    for (const [other, entry] of clients())
      if (entry.expiresAt !== null && entry.expiresAt <= Date.now()) store.delete(other)
    const existing = store.get(k)
    const expiresAt = existing ? existing.expiresAt : Date.now() + limits.unusedTtlSec() * 1000
    store.set(k, { payload, expiresAt, usedAt: Date.now() })
    const all = clients()
    for (let excess = all.length - limits.maxClients(); excess > 0; excess--) {
      const oldest = all
        .filter(([other]) => other !== k)
        .sort((a, b) => (a[1].usedAt ?? 0) - (b[1].usedAt ?? 0))
        .shift()
      if (!oldest) break
      store.delete(oldest[0])
      all.splice(all.indexOf(oldest), 1)
    }
  }

  /** A completed grant makes the client permanent: only clients nobody used expire. */
  function markClientUsed(clientId: unknown) {
    const entry = typeof clientId === 'string' ? store.get(key('Client', clientId)) : undefined
    if (entry) entry.expiresAt = null
  }

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
      if (model === 'Client') return admitClient(key(model, id), payload)
      if (model === 'Grant') markClientUsed(payload.clientId)
      if (++writes % SWEEP_EVERY === 0) sweepExpired()
      store.set(key(model, id), {
        payload,
        expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : null,
      })
      admitCapped(model, key(model, id))
    },
    async find(id: string) {
      const entry = store.get(key(model, id))
      if (entry && model === 'Client') entry.usedAt = Date.now()
      return read(key(model, id))
    },
    async findByUid(uid: string) {
      for (const [k, entry] of store)
        if (k.startsWith(`${model}:`) && entry.payload.uid === uid) return read(k)
      return undefined
    },
    async findByUserCode(userCode: string) {
      for (const [k, entry] of store)
        if (k.startsWith(`${model}:`) && entry.payload.userCode === userCode) return read(k)
      return undefined
    },
    async consume(id: string) {
      const payload = read(key(model, id))
      if (payload) payload.consumed = Math.floor(Date.now() / 1000)
    },
    async destroy(id: string) {
      store.delete(key(model, id))
      order.get(model)?.delete(key(model, id))
    },
    async destroyAll() {
      for (const k of [...store.keys()]) if (k.startsWith(`${model}:`)) store.delete(k)
    },
    count: () => [...store.keys()].filter((k) => k.startsWith(`${model}:`)).length,
    async revokeByGrantId(grantId: string) {
      for (const [k, entry] of store) if (entry.payload.grantId === grantId) store.delete(k)
    },
  })
}

/** Ends every sign-in session (and its interactions) of the development issuer: sign-out from Connect. */
export function endAllSessions(adapter: (model: string) => object): Promise<void[]> {
  return Promise.all(
    ['Session', 'Interaction'].map((model) =>
      (adapter(model) as { destroyAll(): Promise<void> }).destroyAll(),
    ),
  )
}
