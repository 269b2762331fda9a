import type { Verdict } from '../../shared/events'
import type { EffectiveWidgetAuth } from '../widgets/widgetAuth'
import type { AccessToken } from './accessToken'
import { bearerChallenge } from './challenge'

export type WidgetCallDecision =
  | {
      run: true
      token: AccessToken | null
      verdict: Extract<Verdict, 'allowed' | 'anonymous'>
      reason: string
    }
  | {
      run: false
      verdict: Extract<Verdict, 'challenged' | 'insufficient_scope'>
      reason: string
      challenge: string
      text: string
    }

/**
 * Decides one tools/call for a widget. The token, if any, was verified already: a bad one never gets here (HTTP 401).
 * A required widget without a token, or lacking scopes, answers with the sign-in hint ChatGPT acts on.
 */
export function authorizeWidgetCall(
  auth: EffectiveWidgetAuth,
  token: AccessToken | null,
  resourceMetadataUrl: string,
): WidgetCallDecision {
  const missing = token ? auth.scopes.filter((s) => !token.scopes.includes(s)) : auth.scopes
  const needs = auth.scopes.length > 0 ? ` (needs ${auth.scopes.join(' ')})` : ''
  if (auth.mode === 'none') {
    return {
      run: true,
      token,
      verdict: token ? 'allowed' : 'anonymous',
      reason: token ? 'public widget; caller signed in' : 'public widget',
    }
  }
  if (auth.mode === 'optional') {
    if (!token)
      return {
        run: true,
        token: null,
        verdict: 'anonymous',
        reason: `optional auth; no token, ran anonymously${needs}`,
      }
    if (missing.length > 0)
      return {
        run: true,
        token: null,
        verdict: 'anonymous',
        reason: `optional auth; token lacks ${missing.join(' ')}, ran anonymously`,
      }
    return {
      run: true,
      token,
      verdict: 'allowed',
      reason: `optional auth; signed in with every scope${needs}`,
    }
  }
  if (!token) {
    const description = 'Authentication required: no access token provided.'
    return {
      run: false,
      verdict: 'challenged',
      reason: `required auth; no token${needs}: sign-in requested`,
      text: `${description} Sign in to use this tool.`,
      challenge: bearerChallenge({
        error: 'invalid_token',
        errorDescription: description,
        resourceMetadata: resourceMetadataUrl,
        scope: auth.scopes,
      }),
    }
  }
  if (missing.length > 0) {
    const description = `This tool needs the scope${missing.length > 1 ? 's' : ''} ${missing.join(', ')}.`
    return {
      run: false,
      verdict: 'insufficient_scope',
      reason: `required auth; token lacks ${missing.join(' ')}: step-up requested`,
      text: `Insufficient scope: ${description} Sign in again and grant ${auth.scopes.join(' ')}.`,
      challenge: bearerChallenge({
        error: 'insufficient_scope',
        errorDescription: description,
        resourceMetadata: resourceMetadataUrl,
        scope: auth.scopes,
      }),
    }
  }
  return {
    run: true,
    token,
    verdict: 'allowed',
    reason: `required auth; token has ${auth.scopes.length ? auth.scopes.join(' ') : 'no scopes needed'}`,
  }
}
