import type { WorkbenchApi } from '../../shared/contract'
import { createBridgeClient } from './bridgeClient'
import { takeBridgeSecret } from './bridgeSecret'
import { ingestConnection } from './store/ingest'

/**
 * The `WorkbenchApi` this window talks to: the preload's in Electron, else the browser-mode WebSocket bridge to
 * the server that served this page.
 */
export function createApi(): WorkbenchApi {
  const preload = (window as unknown as { workbench?: WorkbenchApi }).workbench
  if (preload) {
    ingestConnection('open')
    return preload
  }
  const secret = takeBridgeSecret({
    location: window.location,
    history: window.history,
    storage: window.sessionStorage,
  })
  if (!secret) {
    ingestConnection(
      'closed',
      'No bridge secret: open the full "Workbench UI:" URL that `npm run serve` printed (it ends in #secret=…).',
    )
  }
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:'
  return createBridgeClient({
    baseUrl: `${scheme}//${window.location.host}`,
    secret: secret ?? 'missing',
    onConnectionChange: (state, detail) =>
      ingestConnection(
        state,
        state === 'closed' && !secret
          ? 'No bridge secret: open the full "Workbench UI:" URL that `npm run serve` printed.'
          : detail,
      ),
  })
}
