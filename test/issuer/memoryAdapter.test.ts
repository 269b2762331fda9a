import { afterEach, describe, expect, it, vi } from 'vitest'
import { createMemoryAdapterFactory } from '../../src/main/issuer/memoryAdapter'

type Model = {
  upsert(id: string, payload: object, expiresIn?: number): Promise<void>
  find(id: string): Promise<unknown>
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
