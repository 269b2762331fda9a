import { authorizeWidgetCall } from '../auth/authorizeWidgetCall'
import type { EffectiveWidgetAuth } from '../widgets/widgetAuth'
import type { WidgetDefinition } from '../widgets/widgetDefinition'
import { verifiedToken, type Authentication, type Authorization } from './exchange'

export interface AuthorizeDeps {
  widget(id: string): WidgetDefinition | undefined
  effectiveAuth(widget: WidgetDefinition): EffectiveWidgetAuth
  resourceMetadataUrl(): string
}

/** Decides a JSON-RPC call for its widget: only `tools/call` is gated, by the widget's live mode. */
export function authorizeRequest(
  message: unknown,
  authentication: Authentication,
  deps: AuthorizeDeps,
): Authorization {
  const call = toolCallName(message)
  if (call === null) return { kind: 'not-a-tool-call' }
  const widget = deps.widget(call)
  if (!widget) return { kind: 'unknown-tool', tool: call }
  const auth = deps.effectiveAuth(widget)
  const decision = authorizeWidgetCall(
    auth,
    verifiedToken(authentication),
    deps.resourceMetadataUrl(),
  )
  return { kind: 'widget', tool: call, widget, mode: auth.mode, decision }
}

/** The tool a `tools/call` names, or null when the message is something else. */
export function toolCallName(message: unknown): string | null {
  if (!message || typeof message !== 'object' || Array.isArray(message)) return null
  const { method, params } = message as { method?: unknown; params?: { name?: unknown } }
  if (method !== 'tools/call') return null
  return typeof params?.name === 'string' ? params.name : ''
}
