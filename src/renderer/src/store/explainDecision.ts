import type { RequestEvent, WidgetSummary } from '../../../shared/events'

function clause(reason: string): string {
  return reason.trim().replace(/\.$/, '')
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/** The scopes the caller lacked: from the widget's scopes in force, else from the server's reason. */
function missingScopes(event: RequestEvent, widget: WidgetSummary | undefined): string {
  const have = new Set(event.identity?.scopes ?? [])
  const missing = widget?.effectiveScopes.filter((s) => !have.has(s)) ?? []
  if (missing.length > 0) return missing.join(' ')
  return /lacks (.+?)(?:: |, |$)/.exec(event.reason)?.[1] ?? 'a scope'
}

/**
 * The auth decision as one sentence: who, what the widget asks for, what happened.
 * `widgets` are the widgets in force now (to name the scopes a caller lacked). Pure.
 */
export function explainDecision(
  event: RequestEvent,
  widgets: readonly WidgetSummary[] = [],
): string {
  const who = event.identity
    ? (event.identity.name ?? event.identity.subject)
    : 'an anonymous caller'
  const tool = event.tool
  const widget = widgets.find((w) => w.id === tool)
  const scopes = widget?.effectiveScopes.join(' ') ?? ''
  const needs = scopes ? ` with ${scopes}` : ''
  const what = event.rpcMethod ?? `${event.method} ${event.path}`
  switch (event.verdict) {
    case 'allowed':
      if (!tool) return `${capitalise(what)} carried a verified token for ${who}: allowed.`
      if (event.widgetMode === 'none') return `${tool} is public and ${who} was signed in: allowed.`
      if (event.widgetMode === 'optional') {
        return `${capitalise(who)} is signed in${needs ? ` and has ${scopes}` : ''}, which ${tool} accepts: ran as the user.`
      }
      return `${capitalise(who)} ${needs ? `has ${scopes}` : 'is signed in'}, which ${tool} requires: allowed.`
    case 'anonymous':
      if (!tool) return `${capitalise(what)} needs no token: allowed anonymously.`
      if (event.widgetMode === 'optional' && event.identity) {
        return `${capitalise(who)} lacks ${missingScopes(event, widget)}, which ${tool} needs to run as the user: ran anonymously.`
      }
      if (event.widgetMode === 'optional')
        return `No token sent, and ${tool} allows that (optional auth): ran anonymously.`
      return `${tool} is public: ran anonymously.`
    case 'challenged':
      return `No token sent, and ${tool ?? what} requires sign-in${needs}: sign-in requested (ChatGPT shows Connect).`
    case 'insufficient_scope':
      return `${capitalise(who)} lacks ${missingScopes(event, widget)}, which ${tool ?? what} requires: step-up requested.`
    case 'invalid_token':
      return `The token failed verification${event.claim ? ` on "${event.claim}"` : ''} (${clause(event.reason)}): refused with HTTP 401.`
    case 'forbidden':
      return `Refused before auth: ${clause(event.reason)}.`
    case 'error':
      return `Failed: ${clause(event.reason)}.`
  }
}
