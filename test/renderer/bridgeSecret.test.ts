import { describe, expect, it } from 'vitest'
import { takeBridgeSecret } from '../../src/renderer/src/bridgeSecret'

function sources(hash: string, search = '', stored: string | null = null) {
  const store = new Map<string, string>(stored ? [['workbench.bridgeSecret', stored]] : [])
  const replaced: string[] = []
  return {
    replaced,
    store,
    s: {
      location: { hash, search, pathname: '/' },
      history: {
        state: null,
        replaceState: (_: unknown, __: string, url?: string | URL | null) =>
          void replaced.push(String(url)),
      },
      storage: {
        getItem: (k: string) => store.get(k) ?? null,
        setItem: (k: string, v: string) => void store.set(k, v),
      },
    },
  }
}

describe('bridge secret', () => {
  it('takes the secret from the fragment, strips it from the address bar and keeps it for reloads', () => {
    const t = sources('#secret=abc&x=1')
    expect(takeBridgeSecret(t.s)).toBe('abc')
    expect(t.replaced).toEqual(['/#x=1'])
    expect(t.store.get('workbench.bridgeSecret')).toBe('abc')
  })

  it('accepts ?secret= too and keeps other query parameters', () => {
    const t = sources('', '?secret=q1&view=requests')
    expect(takeBridgeSecret(t.s)).toBe('q1')
    expect(t.replaced).toEqual(['/?view=requests'])
  })

  it('falls back to the session copy after a reload and leaves the address bar alone', () => {
    const t = sources('', '', 'kept')
    expect(takeBridgeSecret(t.s)).toBe('kept')
    expect(t.replaced).toEqual([])
  })

  it('has no secret when neither the URL nor the session holds one', () => {
    expect(takeBridgeSecret(sources('').s)).toBeNull()
  })
})
