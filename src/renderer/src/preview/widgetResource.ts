import type { WidgetCsp } from './buildWidgetCsp'

export const MCP_APP_MIME = 'text/html;profile=mcp-app'
export const SKYBRIDGE_MIME = 'text/html+skybridge'

export interface WidgetPermissions {
  camera?: object
  microphone?: object
  geolocation?: object
  clipboardWrite?: object
}

/** A view's template and what its resource declares for the sandbox. */
export interface WidgetResource {
  uri: string
  mimeType: string
  html: string
  csp: WidgetCsp
  /** Where the CSP came from: the content item, the listing, Apps SDK keys, or nothing declared. */
  cspSource: 'content' | 'listing' | 'openai/widgetCSP' | 'default'
  permissions: WidgetPermissions
  domain: string | null
  prefersBorder: boolean | null
}

type Meta = Record<string, unknown> | undefined
type ResourceLike = { uri?: string; mimeType?: string; text?: string; _meta?: Meta }

const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []

function uiMeta(meta: Meta): Record<string, unknown> | null {
  const ui = meta?.ui
  return ui && typeof ui === 'object' ? (ui as Record<string, unknown>) : null
}

function cspFromUi(csp: unknown): WidgetCsp | null {
  if (!csp || typeof csp !== 'object') return null
  const c = csp as Record<string, unknown>
  return {
    connectDomains: strings(c.connectDomains),
    resourceDomains: strings(c.resourceDomains),
    frameDomains: strings(c.frameDomains),
    baseUriDomains: strings(c.baseUriDomains),
  }
}

function cspFromOpenAi(csp: unknown): WidgetCsp | null {
  if (!csp || typeof csp !== 'object') return null
  const c = csp as Record<string, unknown>
  return {
    connectDomains: strings(c.connect_domains),
    resourceDomains: strings(c.resource_domains),
    frameDomains: strings(c.frame_domains),
  }
}

/**
 * The resource as a spec host reads it: `_meta.ui` from the `resources/read` content item, else from the
 * `resources/list` entry (the content item wins, whole), else Apps SDK `openai/widgetCSP`; nothing declared
 * means the restrictive default.
 */
export function resolveWidgetResource(
  content: ResourceLike,
  listing: ResourceLike | null,
): WidgetResource {
  const contentUi = uiMeta(content._meta)
  const listingUi = uiMeta(listing?._meta)
  const pick = <T>(key: string, read: (v: unknown) => T | null): T | null =>
    read(contentUi?.[key]) ?? read(listingUi?.[key])
  let csp: WidgetCsp = { connectDomains: [], resourceDomains: [] }
  let cspSource: WidgetResource['cspSource'] = 'default'
  const fromContent = cspFromUi(contentUi?.csp)
  const fromListing = cspFromUi(listingUi?.csp)
  const fromOpenAi = cspFromOpenAi(
    content._meta?.['openai/widgetCSP'] ?? listing?._meta?.['openai/widgetCSP'],
  )
  if (fromContent) [csp, cspSource] = [fromContent, 'content']
  else if (fromListing) [csp, cspSource] = [fromListing, 'listing']
  else if (fromOpenAi) [csp, cspSource] = [fromOpenAi, 'openai/widgetCSP']
  const permissions =
    pick('permissions', (v) => (v && typeof v === 'object' ? (v as WidgetPermissions) : null)) ?? {}
  const domain =
    pick('domain', (v) => (typeof v === 'string' ? v : null)) ??
    (typeof content._meta?.['openai/widgetDomain'] === 'string'
      ? (content._meta['openai/widgetDomain'] as string)
      : null)
  const border = pick('prefersBorder', (v) => (typeof v === 'boolean' ? v : null))
  return {
    uri: content.uri ?? listing?.uri ?? '',
    mimeType: content.mimeType ?? listing?.mimeType ?? '',
    html: content.text ?? '',
    csp,
    cspSource,
    permissions,
    domain,
    prefersBorder: border,
  }
}

const PERMISSION_FEATURES: Record<keyof WidgetPermissions, string> = {
  camera: 'camera',
  microphone: 'microphone',
  geolocation: 'geolocation',
  clipboardWrite: 'clipboard-write',
}

/** The frame's `allow` attribute (Permissions Policy) from `ui.permissions`; empty grants nothing. */
export function allowAttribute(permissions: WidgetPermissions): string {
  return (Object.keys(PERMISSION_FEATURES) as (keyof WidgetPermissions)[])
    .filter((k) => permissions[k])
    .map((k) => PERMISSION_FEATURES[k])
    .join('; ')
}
