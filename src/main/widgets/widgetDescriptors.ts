import type { WidgetDefinition } from './widgetDefinition'
import { securitySchemesFor, type EffectiveWidgetAuth } from './widgetAuth'

export const SKYBRIDGE_MIME = 'text/html+skybridge'

export function templateUri(widgetId: string): string {
  return `ui://widget/${widgetId}.html`
}

/** The `tools/list` entry: securitySchemes top-level and in `_meta`, Apps SDK and MCP Apps keys. */
export function toolDescriptor(
  widget: WidgetDefinition,
  auth: EffectiveWidgetAuth,
): Record<string, unknown> {
  const { manifest } = widget
  const securitySchemes = securitySchemesFor(auth)
  const uri = templateUri(widget.id)
  return {
    name: widget.id,
    title: manifest.title,
    description: manifest.description,
    inputSchema: manifest.inputSchema,
    annotations: { title: manifest.title, ...manifest.annotations },
    securitySchemes,
    _meta: {
      securitySchemes,
      'openai/outputTemplate': uri,
      ...(manifest.invoking ? { 'openai/toolInvocation/invoking': manifest.invoking } : {}),
      ...(manifest.invoked ? { 'openai/toolInvocation/invoked': manifest.invoked } : {}),
      'openai/widgetAccessible': manifest.widgetAccessible,
      ...(manifest.visibility && !manifest.visibility.includes('model')
        ? { 'openai/visibility': 'private' }
        : {}),
      ui: { resourceUri: uri, ...(manifest.visibility ? { visibility: manifest.visibility } : {}) },
    },
  }
}

function resourceMeta(widget: WidgetDefinition): Record<string, unknown> {
  const { csp, description, prefersBorder } = widget.manifest
  return {
    'openai/widgetDescription': description,
    'openai/widgetPrefersBorder': prefersBorder,
    'openai/widgetCSP': {
      connect_domains: csp.connectDomains,
      resource_domains: csp.resourceDomains,
      ...(csp.frameDomains ? { frame_domains: csp.frameDomains } : {}),
    },
    ui: {
      prefersBorder,
      csp: {
        connectDomains: csp.connectDomains,
        resourceDomains: csp.resourceDomains,
        ...(csp.frameDomains ? { frameDomains: csp.frameDomains } : {}),
      },
    },
  }
}

/** The `resources/list` entry of the widget's template. */
export function resourceDescriptor(widget: WidgetDefinition): Record<string, unknown> {
  return {
    uri: templateUri(widget.id),
    name: widget.id,
    title: widget.manifest.title,
    description: widget.manifest.description,
    mimeType: SKYBRIDGE_MIME,
    _meta: resourceMeta(widget),
  }
}

/** The `resources/read` contents of the widget's template. */
export function resourceContents(widget: WidgetDefinition): Record<string, unknown> {
  return {
    uri: templateUri(widget.id),
    mimeType: SKYBRIDGE_MIME,
    text: widget.template,
    _meta: resourceMeta(widget),
  }
}
