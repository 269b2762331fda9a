import { protocol } from 'electron'
import { uiSecurityHeaders } from '../bridge/contentSecurityPolicy'
import { resolveUiAsset } from '../bridge/resolveUiAsset'

/** The app's pages live at `app://workbench/`: a standard, secure origin of their own instead of `file://`. */
export const APP_SCHEME = 'app'
export const APP_ORIGIN = `${APP_SCHEME}://workbench`

/**
 * The `scheme://host` of a URL. Node's WHATWG URL gives `origin: "null"` for schemes it does not know
 * (such as `app:`), so origins are compared this way instead.
 */
export function originOf(url: string): string | null {
  if (!URL.canParse(url)) return null
  const parsed = new URL(url)
  return `${parsed.protocol}//${parsed.host}`
}

/** Must run before `app` is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ])
}

/** Serves the built renderer from `rendererDir` with the strict CSP header (the same files and policy as browser mode). */
export function handleAppProtocol(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url)
    if (originOf(request.url) !== APP_ORIGIN || request.method !== 'GET')
      return new Response('Not found', { status: 404 })
    const asset = await resolveUiAsset(rendererDir, url.pathname)
    return new Response(asset.status === 204 ? null : new Uint8Array(asset.body), {
      status: asset.status,
      headers: { ...uiSecurityHeaders(url.pathname), 'Content-Type': asset.contentType },
    })
  })
}
