import { tokenFingerprint } from '../log/redact'
import type { ConnectState, ConnectStep } from '../../shared/issuerTypes'
import { IDLE_CONNECT_STATE } from '../../shared/issuerTypes'

export const CONNECT_STEPS = {
  challenge: 'Ask the MCP server without a token',
  resourceMetadata: 'Protected resource metadata (RFC 9728)',
  authServerMetadata: 'Authorization server metadata',
  registration: 'Client registration',
  authorization: 'Sign in and consent (PKCE, resource)',
  token: 'Exchange the code for tokens',
  refresh: 'Refresh the access token',
  stepUp: 'Step-up: ask for more scopes',
  identity: 'Call the server as the signed-in identity',
} as const
export type ConnectStepId = keyof typeof CONNECT_STEPS

const SECRET_KEYS = new Set([
  'access_token',
  'refresh_token',
  'id_token',
  'client_secret',
  'registration_access_token',
  'code',
  'code_verifier',
  'id_token_hint',
  'client_assertion',
])

/** The URL with every secret-bearing query parameter fingerprinted (the ChatGPT profile's id_token_hint). */
export function redactUrl(href: string): string {
  const url = new URL(href)
  for (const [k, v] of [...url.searchParams])
    if (SECRET_KEYS.has(k)) url.searchParams.set(k, fingerprint(v))
  return url.href
}

/** A short fingerprint in place of a secret: enough to tell two tokens apart, useless to replay. */
export function fingerprint(secret: string): string {
  return `[redacted sha256:${tokenFingerprint(secret, 12)}]`
}

/** Copies JSON-like data with every secret-bearing member replaced by its fingerprint. */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets)
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        SECRET_KEYS.has(k) && typeof v === 'string' ? fingerprint(v) : redactSecrets(v),
      ]),
    )
  }
  return value
}

/** Keeps the Connect state and tells listeners about every change. */
export interface ConnectRecorder {
  state(): ConnectState
  onChange(listener: (state: ConnectState) => void): () => void
  reset(): void
  set(patch: Partial<Omit<ConnectState, 'steps'>>): void
  /** Starts the step (or restarts it), merging `data` into what it already holds. */
  begin(id: ConnectStepId, data?: Record<string, unknown>): void
  record(id: ConnectStepId, data: Record<string, unknown>): void
  succeed(id: ConnectStepId, data?: Record<string, unknown>): void
  fail(id: ConnectStepId, error: string, data?: Record<string, unknown>): void
  skip(id: ConnectStepId, reason: string): void
  /** Notes, on the step, what ChatGPT would do differently or where it would fail. */
  warn(id: ConnectStepId, warning: string): void
  running(): ConnectStepId | null
}

export function createConnectRecorder(now: () => number = Date.now): ConnectRecorder {
  let current: ConnectState = IDLE_CONNECT_STATE
  const listeners = new Set<(state: ConnectState) => void>()

  const publish = (next: ConnectState) => {
    current = next
    for (const listener of listeners) listener(current)
  }
  const upsert = (id: ConnectStepId, change: (step: ConnectStep) => ConnectStep) => {
    const existing = current.steps.find((s) => s.id === id)
    const base: ConnectStep = existing ?? {
      id,
      title: CONNECT_STEPS[id],
      status: 'pending',
      data: {},
      error: null,
      at: null,
    }
    const updated = change(base)
    const steps = existing
      ? current.steps.map((s) => (s.id === id ? updated : s))
      : [...current.steps, updated]
    publish({ ...current, steps })
  }
  const merge = (step: ConnectStep, data?: Record<string, unknown>) =>
    data
      ? {
          ...(step.data as Record<string, unknown>),
          ...(redactSecrets(data) as Record<string, unknown>),
        }
      : step.data

  return {
    state: () => current,
    onChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    reset: () => publish(IDLE_CONNECT_STATE),
    set: (patch) => publish({ ...current, ...patch }),
    begin: (id, data) =>
      upsert(id, (s) => ({
        ...s,
        status: 'running',
        error: null,
        at: now(),
        data: merge(s, data),
      })),
    record: (id, data) => upsert(id, (s) => ({ ...s, data: merge(s, data) })),
    succeed: (id, data) =>
      upsert(id, (s) => ({ ...s, status: 'ok', error: null, at: now(), data: merge(s, data) })),
    fail: (id, error, data) =>
      upsert(id, (s) => ({ ...s, status: 'failed', error, at: now(), data: merge(s, data) })),
    skip: (id, reason) =>
      upsert(id, (s) => ({
        ...s,
        status: 'skipped',
        error: null,
        at: now(),
        data: merge(s, { reason }),
      })),
    warn: (id, warning) => upsert(id, (s) => ({ ...s, warning })),
    running: () =>
      (current.steps.findLast((s) => s.status === 'running')?.id as ConnectStepId | undefined) ??
      null,
  }
}
