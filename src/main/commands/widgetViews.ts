import type { WidgetSummary } from '../../shared/events'
import { securitySchemesFor, type EffectiveWidgetAuth } from '../widgets/widgetAuth'
import type { WidgetDefinition } from '../widgets/widgetDefinition'
import { templateUri } from '../widgets/widgetDescriptors'

/** The widgets as the UI lists them: declared and effective modes side by side. */
export function widgetSummaries(
  widgets: WidgetDefinition[],
  effectiveAuth: (widget: WidgetDefinition) => EffectiveWidgetAuth,
): WidgetSummary[] {
  return widgets.map((w) => {
    const auth = effectiveAuth(w)
    return {
      id: w.id,
      title: w.manifest.title,
      description: w.manifest.description,
      declaredMode: w.manifest.auth.mode,
      declaredScopes: w.manifest.auth.scopes,
      override: auth.override,
      effectiveMode: auth.mode,
      effectiveScopes: auth.scopes,
      securitySchemes: securitySchemesFor(auth),
      inputSchema: w.manifest.inputSchema,
      templateUri: templateUri(w.id),
      source: w.source,
    }
  })
}
