import type { EffectiveWidgetAuth } from '../widgets/widgetAuth'
import type { WidgetDefinition } from '../widgets/widgetDefinition'
import {
  resourceContents,
  resourceDescriptor,
  SKYBRIDGE_MIME,
  templateUri,
  toolDescriptor,
} from '../widgets/widgetDescriptors'

/** The MIME type MCP Apps hosts require behind `_meta.ui.resourceUri` (ext-apps RESOURCE_MIME_TYPE). */
export const MCP_APP_MIME = 'text/html;profile=mcp-app'

/** The MCP Apps copy of a widget's template; the Apps SDK copy stays at `templateUri`. */
export function appTemplateUri(widgetId: string): string {
  return `ui://widget/${widgetId}.mcp-app.html`
}

/**
 * One widget definition, two templates: Apps SDK clients follow `openai/outputTemplate` to
 * `text/html+skybridge`, MCP Apps hosts follow `_meta.ui.resourceUri` to `text/html;profile=mcp-app`.
 */
export function widgetTool(
  widget: WidgetDefinition,
  auth: EffectiveWidgetAuth,
): Record<string, unknown> {
  const tool = toolDescriptor(widget, auth)
  const meta = tool._meta as Record<string, unknown> & { ui?: Record<string, unknown> }
  return { ...tool, _meta: { ...meta, ui: { ...meta.ui, resourceUri: appTemplateUri(widget.id) } } }
}

export function widgetResources(widget: WidgetDefinition): Record<string, unknown>[] {
  const skybridge = resourceDescriptor(widget)
  return [skybridge, { ...skybridge, uri: appTemplateUri(widget.id), mimeType: MCP_APP_MIME }]
}

/** The `resources/read` contents for either template URI; undefined when the URI names no widget. */
export function widgetTemplateContents(
  widgets: WidgetDefinition[],
  uri: string,
): Record<string, unknown> | undefined {
  for (const widget of widgets) {
    if (uri === templateUri(widget.id)) return resourceContents(widget)
    if (uri === appTemplateUri(widget.id)) {
      return { ...resourceContents(widget), uri, mimeType: MCP_APP_MIME }
    }
  }
  return undefined
}

export { SKYBRIDGE_MIME }
