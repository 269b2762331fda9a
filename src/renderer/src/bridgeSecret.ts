import { readBridgeSecret } from '../../shared/bridgeProtocol'

const SESSION_KEY = 'workbench.bridgeSecret'

export interface SecretSources {
  location: Pick<Location, 'hash' | 'search' | 'pathname'>
  history: Pick<History, 'replaceState' | 'state'>
  storage: Pick<Storage, 'getItem' | 'setItem'>
}

/**
 * The bridge secret from `#secret=` (or `?secret=`) of the printed UI URL. It is removed from the address bar at
 * once and kept in sessionStorage, so a reload still works and the secret does not linger in history.
 */
export function takeBridgeSecret({ location, history, storage }: SecretSources): string | null {
  const fromHash = readBridgeSecret(location.hash)
  const query = new URLSearchParams(location.search)
  const fromQuery = query.get('secret')
  const found = fromHash ?? fromQuery
  if (found) {
    query.delete('secret')
    const rest = query.toString()
    const hash = new URLSearchParams(location.hash.replace(/^#/, ''))
    hash.delete('secret')
    const hashRest = hash.toString()
    history.replaceState(
      history.state,
      '',
      `${location.pathname}${rest ? `?${rest}` : ''}${hashRest ? `#${hashRest}` : ''}`,
    )
    storage.setItem(SESSION_KEY, found)
    return found
  }
  return storage.getItem(SESSION_KEY)
}
