/** Options for {@link uiContentSecurityPolicy}. */
export interface UiCspOptions {
  /** Extra `connect-src` sources, e.g. the bridge's `ws://127.0.0.1:PORT`. Default none. */
  connectSrc?: string[]
  /** Extra `frame-src` sources for the widget preview frame. Default none. */
  frameSrc?: string[]
}

/**
 * The policy of the app's own pages, in Electron and in browser mode alike: only the app's own files run,
 * nothing inline, no plugins, no framing by others, no `<base>` or form tricks.
 */
export function uiContentSecurityPolicy(options: UiCspOptions = {}): string {
  const directives: Record<string, string[]> = {
    'default-src': ["'none'"],
    'script-src': ["'self'"],
    'style-src': ["'self'"],
    'img-src': ["'self'", 'data:'],
    'font-src': ["'self'"],
    'connect-src': ["'self'", ...(options.connectSrc ?? [])],
    'frame-src': ["'self'", ...(options.frameSrc ?? [])],
    'worker-src': ["'none'"],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
    'frame-ancestors': ["'none'"],
  }
  return Object.entries(directives).map(([name, sources]) => `${name} ${sources.join(' ')}`).join('; ')
}

/** Headers every app page and asset carries besides the CSP. */
export const UI_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
}
