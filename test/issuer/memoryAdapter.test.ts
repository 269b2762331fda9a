import { afterEach, describe, expect, it, vi } from 'vitest'
import { createMemoryAdapterFactory } from '../../src/main/issuer/memoryAdapter'

type Model = {
  upsert(id: string, payload: object, expiresIn?: number): Promise<void>
  find(id: string): Promise<unknown>
  count(): number
}

afterEach(() => {
  vi.useRealTimers()
})

describe('registered clients in the development issuer (issue 8 item 6)', () => {
  it('expire when they never completed a grant, and stay once one did', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2026-01-01T00:00:00Z'))
    const adapter = createMemoryAdapterFactory({ maxClients: () => 10, unusedTtlSec: () => 3600 })
    const clients = adapter('Client') as Model
    await clients.upsert('unused', { client_id: 'unused' })
    await clients.upsert('used', { client_id: 'used' })
    await (adapter('Grant') as Model).upsert(
      'g1',
      { clientId: 'used', accountId: 'dev|alice' },
      3600,
    )
    vi.setSystemTime(new Date('2026-01-01T01:00:01Z'))
    expect(await clients.find('unused')).toBeUndefined()
    expect(await clients.find('used')).toMatchObject({ client_id: 'used' })
  })
})

describe('what anonymous callers make the development issuer store is bounded', () => {
  it('keeps at most the cap of interactions (each GET /oauth/auth starts one)', async () => {
    const adapter = createMemoryAdapterFactory(undefined, { Interaction: 3 })
    const interactions = adapter('Interaction') as Model
    for (let i = 1; i <= 5; i++) await interactions.upsert(`i${i}`, { uid: `u${i}` }, 3600)
    expect(interactions.count()).toBe(3)
    expect(await interactions.find('i1')).toBeUndefined()
    expect(await interactions.find('i2')).toBeUndefined()
    expect(await interactions.find('i5')).toMatchObject({ uid: 'u5' })
    // Writing an entry again makes it the newest: an active sign-in is not the next one evicted.
    await interactions.upsert('i3', { uid: 'u3' }, 3600)
    await interactions.upsert('i6', { uid: 'u6' }, 3600)
    expect(await interactions.find('i3')).toMatchObject({ uid: 'u3' })
    expect(await interactions.find('i4')).toBeUndefined()
  })

  it('drops expired entries nobody reads again', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2026-01-01T00:00:00Z'))
    const adapter = createMemoryAdapterFactory()
    const tokens = adapter('AccessToken') as Model
    for (let i = 0; i < 100; i++) await tokens.upsert(`t${i}`, { accountId: 'dev|bob' }, 60)
    vi.setSystemTime(new Date('2026-01-01T00:02:00Z'))
    const interactions = adapter('Interaction') as Model
    for (let i = 0; i < 1000; i++) await interactions.upsert(`i${i}`, { uid: `u${i}` }, 3600)
    expect(tokens.count()).toBe(0)
    expect(interactions.count()).toBe(1000)
  })
})
