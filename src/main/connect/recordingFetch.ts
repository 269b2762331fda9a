import type { FetchLike } from '@modelcontextprotocol/client'
import { CONNECT_STEPS, type ConnectRecorder, type ConnectStepId } from './connectRecorder'
import { describeNetworkError } from './describeConnectError'

function bodyText(body: unknown): string | null {
  if (typeof body === 'string') return body
  if (body instanceof URLSearchParams) return body.toString()
  return null
}

/** Which Connect step an OAuth request belongs to, from its URL and body. */
export function classifyOAuthRequest(url: URL, init?: RequestInit): ConnectStepId | null {
  if (url.pathname.includes('/.well-known/oauth-protected-resource')) return 'resourceMetadata'
  if (
    url.pathname.includes('/.well-known/oauth-authorization-server') ||
    url.pathname.includes('/.well-known/openid-configuration')
  )
    return 'authServerMetadata'
  const text = bodyText(init?.body)
  if (!text || (init?.method ?? 'GET').toUpperCase() !== 'POST') return null
  if (text.trimStart().startsWith('{')) {
    try {
      const json = JSON.parse(text) as Record<string, unknown>
      return Array.isArray(json.redirect_uris) ? 'registration' : null
    } catch {
      return null
    }
  }
  const grant = new URLSearchParams(text).get('grant_type')
  if (grant === 'authorization_code') return 'token'
  if (grant === 'refresh_token') return 'refresh'
  return null
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.clone().json()
  } catch {
    return null
  }
}

/**
 * Wraps the fetch the SDK's `auth()` uses so every discovery, registration and token request lands in its step,
 * with the raw documents (secrets fingerprinted). A 404 on one well-known URL is an attempt, not a failure.
 */
export function createRecordingFetch(base: FetchLike, recorder: ConnectRecorder): FetchLike {
  const attempts = new Map<ConnectStepId, { url: string; status: number | string }[]>()
  return async (input, init) => {
    const url = new URL(String(input instanceof URL ? input.href : input))
    const step = classifyOAuthRequest(url, init)
    if (!step) return base(input, init)
    const tried = attempts.get(step) ?? []
    attempts.set(step, tried)
    recorder.begin(step, { attempts: tried })
    let response: Response
    try {
      response = await base(input, init)
    } catch (err) {
      const words = describeNetworkError(err, url)
      tried.push({ url: url.href, status: words ?? (err as Error).message })
      // The step that could not reach its server is the one that failed, whatever the SDK tries next.
      if (words) recorder.fail(step, `${CONNECT_STEPS[step]}: ${words}.`, { attempts: [...tried] })
      else recorder.record(step, { attempts: [...tried] })
      throw err
    }
    tried.push({ url: url.href, status: response.status })
    const json = await readJson(response)
    if (response.ok) {
      const key =
        step === 'token' || step === 'refresh'
          ? 'response'
          : step === 'registration'
            ? 'registered'
            : 'document'
      const extra =
        step === 'registration'
          ? { request: JSON.parse(bodyText(init?.body) ?? '{}') }
          : step === 'token' || step === 'refresh'
            ? { endpoint: url.href }
            : { url: url.href }
      recorder.succeed(step, { attempts: [...tried], [key]: json, ...extra })
    } else {
      recorder.record(step, { attempts: [...tried], ...(json ? { lastError: json } : {}) })
    }
    return response
  }
}
