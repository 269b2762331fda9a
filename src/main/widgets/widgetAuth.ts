import type { AuthMode, WorkbenchConfig } from '../../shared/config'
import type { SecurityScheme } from '../../shared/events'
import type { WidgetDefinition } from './widgetDefinition'

export type EffectiveMode = Exclude<AuthMode, 'inherit'>

export interface EffectiveWidgetAuth {
  mode: EffectiveMode
  scopes: string[]
  override: { auth: AuthMode; scopes?: string[] } | null
}

/** The widget's mode after the config override and `inherit`; with auth off every widget is public. */
export function effectiveWidgetAuth(
  widget: WidgetDefinition,
  config: WorkbenchConfig,
  authOn: boolean,
): EffectiveWidgetAuth {
  const override = config.widgets[widget.id] ?? null
  const declared = override?.auth ?? widget.manifest.auth.mode
  const declaredScopes = override?.scopes ?? widget.manifest.auth.scopes
  if (!authOn) return { mode: 'none', scopes: [], override }
  if (declared === 'inherit')
    return { mode: 'required', scopes: override?.scopes ?? config.auth.requiredScopes, override }
  return { mode: declared, scopes: declared === 'none' ? [] : declaredScopes, override }
}

/** Apps SDK securitySchemes: required → oauth2, none → noauth, optional → both. */
export function securitySchemesFor(auth: {
  mode: EffectiveMode
  scopes: string[]
}): SecurityScheme[] {
  switch (auth.mode) {
    case 'required':
      return [{ type: 'oauth2', scopes: auth.scopes }]
    case 'none':
      return [{ type: 'noauth' }]
    case 'optional':
      return [{ type: 'noauth' }, { type: 'oauth2', scopes: auth.scopes }]
  }
}
