import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js'
import type { DecodedToken, Verdict } from '../../shared/events'
import type { AccessToken } from '../auth/accessToken'
import type { EffectiveMode } from '../widgets/widgetAuth'

/** What one HTTP request learns on its way through: filled by the HTTP layer and the tool handler, read by the log. */
export interface RequestContext {
  token: AccessToken | null
  tool: string | null
  widgetMode: EffectiveMode | null
  verdict: Verdict | null
  reason: string | null
  reasonCode: string | null
  claim: string | null
  /** Header and claims for the log: verified, or decoded untrusted when verification failed. */
  decoded: DecodedToken | null
  /** A failed handler's stack trace, for the request detail only. */
  errorStack?: string
}

export function createRequestContext(): RequestContext {
  return { token: null, tool: null, widgetMode: null, verdict: null, reason: null, reasonCode: null, claim: null, decoded: null }
}

/** The SDK hands `req.auth` to every handler as `extra.authInfo`; the context rides in its `extra`. */
export function toAuthInfo(ctx: RequestContext): AuthInfo {
  const token = ctx.token
  return {
    token: '',
    clientId: token?.clientId ?? '',
    scopes: token?.scopes ?? [],
    expiresAt: token?.expiresAt,
    extra: { requestContext: ctx },
  }
}

export function contextOf(authInfo: AuthInfo | undefined): RequestContext {
  const ctx = authInfo?.extra?.requestContext as RequestContext | undefined
  return ctx ?? createRequestContext()
}
