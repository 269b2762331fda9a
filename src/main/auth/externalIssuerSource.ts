import { createRemoteJWKSet } from 'jose'
import type { IssuerStatus } from '../../shared/events'
import { WorkbenchError } from '../../shared/errors'
import { discoverIssuer } from './discoverIssuer'
import type { IssuerSource, ResolvedIssuer } from './issuerSource'

export interface ExternalIssuerOptions {
  /** Discovery and JWKS request timeout, in milliseconds. Default 5000. */
  timeoutMs?: number
  /** Least time between two JWKS fetches for an unknown `kid`, in milliseconds. Default 30,000. */
  jwksCooldownMs?: number
  /** Wait before retrying a failed discovery, in milliseconds. Default 5000. */
  retryAfterMs?: number
  onStatusChange?: (status: IssuerStatus) => void
}

/** An issuer found by discovery; keys from its JWKS, cached by jose and refetched on an unknown `kid` with a cooldown. */
export function createExternalIssuerSource(
  issuerUrl: URL,
  options: ExternalIssuerOptions = {},
): IssuerSource {
  const retryAfterMs = options.retryAfterMs ?? 5000
  let status: IssuerStatus = {
    kind: 'external',
    issuer: issuerUrl.href,
    state: 'discovering',
    error: null,
    jwksUri: null,
  }
  let pending: Promise<ResolvedIssuer> | null = null
  let failedAt = 0
  let lastError: unknown = null

  const setStatus = (next: IssuerStatus) => {
    status = next
    options.onStatusChange?.(next)
  }

  async function discover(): Promise<ResolvedIssuer> {
    try {
      const found = await discoverIssuer(issuerUrl, { timeoutMs: options.timeoutMs })
      const getKey = createRemoteJWKSet(new URL(found.jwksUri), {
        timeoutDuration: options.timeoutMs ?? 5000,
        cooldownDuration: options.jwksCooldownMs ?? 30_000,
        cacheMaxAge: 600_000,
      })
      setStatus({
        kind: 'external',
        issuer: found.issuer,
        state: 'ready',
        error: null,
        jwksUri: found.jwksUri,
      })
      return { issuer: found.issuer, getKey, metadata: found.metadata }
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err)
      setStatus({
        kind: 'external',
        issuer: issuerUrl.href,
        state: 'failed',
        error: message,
        jwksUri: null,
      })
      throw err instanceof WorkbenchError
        ? err
        : new WorkbenchError('ERR_ISSUER_DISCOVERY', message, { cause: err })
    }
  }

  return {
    kind: 'external',
    configuredIssuer: issuerUrl.href,
    status: () => status,
    resolve() {
      if (lastError && Date.now() - failedAt < retryAfterMs) return Promise.reject(lastError)
      if (!pending) {
        pending = discover()
        pending.catch((err) => {
          pending = null
          lastError = err
          failedAt = Date.now()
        })
      }
      return pending
    },
  }
}
