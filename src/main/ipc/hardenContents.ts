import { shell, type Session, type WebContents } from 'electron'

/** Opens a link in the user's browser only when it is https. */
export function openExternalHttps(url: string): boolean {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return false
  }
  if (parsed.protocol !== 'https:') return false
  void shell.openExternal(parsed.toString())
  return true
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]'])

/**
 * Opens Connect's sign-in page, which main builds itself: https, or http on loopback for the development
 * issuer. Renderer-supplied links never get the http exception (see {@link openExternalHttps}).
 */
export function openSignInUrl(url: string): void {
  const parsed = new URL(url)
  if (
    parsed.protocol === 'https:' ||
    (parsed.protocol === 'http:' && LOOPBACK.has(parsed.hostname))
  )
    void shell.openExternal(parsed.toString())
}

/** No navigation away from the app, no new windows (https links go to the browser), no <webview>. */
export function hardenContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault())
  contents.on('will-redirect', (event) => event.preventDefault())
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    openExternalHttps(url)
    return { action: 'deny' }
  })
}

/**
 * Denies every permission (camera, geolocation, notifications…), except clipboard writes from the app's own
 * pages, which the copy buttons need.
 */
export function denyPermissions(session: Session, isAppUrl: (url: string) => boolean): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(
      permission === 'clipboard-sanitized-write' &&
        details.isMainFrame &&
        isAppUrl(details.requestingUrl),
    )
  })
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) => {
    return (
      permission === 'clipboard-sanitized-write' &&
      details.isMainFrame &&
      isAppUrl(requestingOrigin + '/')
    )
  })
}
