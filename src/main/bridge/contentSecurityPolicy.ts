/** Options for {@link uiContentSecurityPolicy}. */
export interface UiCspOptions {
  /** Extra `connect-src` sources, e.g. the bridge's `ws://127.0.0.1:PORT`. Default none. */
  connectSrc?: string[]
}

/** The page the widget preview loads (sandboxed) to get a policy of its own: src/renderer/public/widget-frame.html. */
export const WIDGET_FRAME_PATH = '/widget-frame.html'

/**
 * The policy of the app's own pages, in Electron and in browser mode alike: only the app's own files run,
 * nothing inline, no plugins, no framing by others, no `<base>` or form tricks.
 */
export function uiContentSecurityPolicy(options: UiCspOptions = {}): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ${(options.connectSrc ?? []).join(' ')}`.trim(),
    "frame-src 'self'",
    "worker-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ')
}

/**
 * The ceiling for a previewed widget: always an opaque-origin sandbox (even if opened outside its iframe), framed
 * only by the app. Inline code and any web source are allowed here because the widget's own declared CSP, written
 * into the frame as a meta policy, narrows it further; both policies are enforced.
 */
export function widgetFrameContentSecurityPolicy(): string {
  return [
    'sandbox allow-scripts allow-forms',
    "default-src 'none'",
    "script-src 'self' 'unsafe-inline' https: http://localhost:* http://127.0.0.1:*",
    "style-src 'unsafe-inline' https: http://localhost:* http://127.0.0.1:*",
    'img-src data: blob: https: http://localhost:* http://127.0.0.1:*',
    'font-src data: https: http://localhost:* http://127.0.0.1:*',
    'media-src https: http://localhost:* http://127.0.0.1:*',
    'connect-src https: wss: http://localhost:* http://127.0.0.1:* ws://localhost:* ws://127.0.0.1:*',
    'frame-src https:',
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'self'",
  ].join('; ')
}

const COMMON_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
}

/** Security headers for a UI path: the strict app policy, or the widget frame's sandbox policy. */
export function uiSecurityHeaders(
  pathname: string,
  options: UiCspOptions = {},
): Record<string, string> {
  if (pathname === WIDGET_FRAME_PATH) {
    return {
      ...COMMON_HEADERS,
      'Content-Security-Policy': widgetFrameContentSecurityPolicy(),
      'X-Frame-Options': 'SAMEORIGIN',
    }
  }
  return {
    ...COMMON_HEADERS,
    'Content-Security-Policy': uiContentSecurityPolicy(options),
    'Cross-Origin-Opener-Policy': 'same-origin',
    'X-Frame-Options': 'DENY',
  }
}
