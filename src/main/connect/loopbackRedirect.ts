import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { WorkbenchError } from '../../shared/errors'

/** What the authorization server sent back to the redirect URI. */
export interface AuthorizationResponse {
  code: string | null
  state: string | null
  /** RFC 9207 issuer identifier, when sent. */
  iss: string | null
  error: string | null
  errorDescription: string | null
}

/** A one-shot redirect target on 127.0.0.1 (RFC 8252 §7.3): the browser lands here after sign-in. */
export interface LoopbackRedirect {
  /** `http://127.0.0.1:<port>/callback`. */
  readonly redirectUrl: string
  /** `http://127.0.0.1:<port>`: the ChatGPT profile puts its own redirect paths on it. */
  readonly origin: string
  /** Resolves with the response carrying `state`; rejects after `timeoutMs`. */
  waitFor(state: string, timeoutMs: number): Promise<AuthorizationResponse>
  /** Hands over a redirect that was followed over HTTP instead of through the browser. */
  deliver(url: URL): void
  close(): Promise<void>
}

const PAGE = (title: string, text: string) =>
  `<!doctype html><meta charset="utf-8"><title>${title}</title>` +
  '<style>:root{color-scheme:light dark}' +
  'body{font:15px system-ui,sans-serif;display:grid;place-items:center;min-height:90vh}</style>' +
  `<main><h1>${title}</h1><p>${text}</p></main>`

/** `/callback`, and the ChatGPT profile's stable and per-connector redirect paths. */
const REDIRECT_PATH = /^\/(?:callback|connector_platform_oauth_redirect|connector\/oauth\/[\w-]+)$/

export function parseAuthorizationResponse(url: URL): AuthorizationResponse {
  const p = url.searchParams
  return {
    code: p.get('code'),
    state: p.get('state'),
    iss: p.get('iss'),
    error: p.get('error'),
    errorDescription: p.get('error_description'),
  }
}

export async function startLoopbackRedirect(): Promise<LoopbackRedirect> {
  const waiters = new Map<string, (response: AuthorizationResponse) => void>()
  const early = new Map<string, AuthorizationResponse>()

  const accept = (response: AuthorizationResponse) => {
    const key = response.state ?? ''
    const waiter = waiters.get(key)
    if (waiter) {
      waiters.delete(key)
      waiter(response)
    } else early.set(key, response)
  }

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    if (!REDIRECT_PATH.test(url.pathname)) {
      res.writeHead(404).end()
      return
    }
    const response = parseAuthorizationResponse(url)
    accept(response)
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
    res.end(
      response.error
        ? PAGE(
            'Sign-in failed',
            'The authorization server refused. Return to the Workbench for details.',
          )
        : PAGE('Signed in', 'You can close this tab and return to the Workbench.'),
    )
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo

  return {
    redirectUrl: `http://127.0.0.1:${port}/callback`,
    origin: `http://127.0.0.1:${port}`,
    waitFor(state, timeoutMs) {
      const ready = early.get(state)
      if (ready) {
        early.delete(state)
        return Promise.resolve(ready)
      }
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(state)
          reject(
            new WorkbenchError(
              'ERR_CONNECT_FAILED',
              `Nobody completed the sign-in in the browser within ${Math.round(timeoutMs / 1000)} s.`,
            ),
          )
        }, timeoutMs)
        timer.unref?.()
        waiters.set(state, (response) => {
          clearTimeout(timer)
          resolve(response)
        })
      })
    },
    deliver: (url) => accept(parseAuthorizationResponse(url)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.()
        server.close(() => resolve())
      }),
  }
}
