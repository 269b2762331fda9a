import type { AuthMode, WorkbenchConfig } from '../../shared/config'
import type { SecurityScheme } from '../../shared/events'
import { securitySchemesFor, type EffectiveWidgetAuth } from '../widgets/widgetAuth'
import { isJsonObject } from '../../shared/jsonObject'

/** One tool of the upstream, as its tools/list describes it. */
export interface UpstreamTool {
  name: string
  title: string | null
  description: string | null
  /** What the upstream declares in `securitySchemes`; `inherit` when it declares nothing we understand. */
  declaredMode: AuthMode
  declaredScopes: string[]
  /** True when the tool renders a widget (`_meta.ui.resourceUri` or `openai/outputTemplate`). */
  isWidget: boolean
  templateUri: string | null
  inputSchema: Record<string, unknown>
}

/** A widget template read from the upstream (`resources/read`), with the CSP it declares. */
export interface UpstreamTemplate {
  uri: string
  mimeType: string | null
  html: string
  csp: { connectDomains: string[]; resourceDomains: string[]; frameDomains?: string[] }
}

type Json = Record<string, unknown>
const asObject = (v: unknown): Json | undefined => (isJsonObject(v) ? v : undefined)

/** The mode an upstream tool asks for: oauth2 → required, noauth + oauth2 → optional, noauth → none, else inherit. */
export function declaredAuthOf(tool: Json): { mode: AuthMode; scopes: string[] } {
  const schemes = Array.isArray(tool.securitySchemes)
    ? tool.securitySchemes
    : asObject(tool._meta)?.securitySchemes
  if (!Array.isArray(schemes)) return { mode: 'inherit', scopes: [] }
  const oauth = schemes.map(asObject).find((s) => s?.type === 'oauth2')
  const noauth = schemes.some((s) => asObject(s)?.type === 'noauth')
  const scopes = Array.isArray(oauth?.scopes)
    ? oauth.scopes.filter((s): s is string => typeof s === 'string')
    : []
  if (oauth && noauth) return { mode: 'optional', scopes }
  if (oauth) return { mode: 'required', scopes }
  if (noauth) return { mode: 'none', scopes: [] }
  return { mode: 'inherit', scopes: [] }
}

export function toUpstreamTool(tool: Json): UpstreamTool {
  const meta = asObject(tool._meta)
  const ui = asObject(meta?.ui)
  const templateUri =
    typeof ui?.resourceUri === 'string'
      ? ui.resourceUri
      : typeof meta?.['openai/outputTemplate'] === 'string'
        ? meta['openai/outputTemplate']
        : null
  const declared = declaredAuthOf(tool)
  return {
    name: String(tool.name),
    title: typeof tool.title === 'string' ? tool.title : null,
    description: typeof tool.description === 'string' ? tool.description : null,
    declaredMode: declared.mode,
    declaredScopes: declared.scopes,
    isWidget: templateUri !== null,
    templateUri,
    inputSchema: asObject(tool.inputSchema) ?? { type: 'object' },
  }
}

/** The mode in force for an upstream tool: the `widgets.<name>` override, else what the upstream declares. */
export function effectiveToolAuth(
  tool: Pick<UpstreamTool, 'name' | 'declaredMode' | 'declaredScopes'>,
  config: WorkbenchConfig,
  authOn: boolean,
): EffectiveWidgetAuth {
  const override = config.widgets[tool.name] ?? null
  const declared = override?.auth ?? tool.declaredMode
  const declaredScopes = override?.scopes ?? tool.declaredScopes
  if (!authOn) return { mode: 'none', scopes: [], override }
  if (declared === 'inherit')
    return { mode: 'required', scopes: override?.scopes ?? config.auth.requiredScopes, override }
  return { mode: declared, scopes: declared === 'none' ? [] : declaredScopes, override }
}

const STRICTNESS = { none: 0, optional: 1, required: 2 } as const

/** Why the Workbench lets through more than the upstream asks for; null when it does not. */
export function permissivenessWarning(
  tool: UpstreamTool,
  auth: EffectiveWidgetAuth,
): string | null {
  if (tool.declaredMode === 'inherit') return null
  if (STRICTNESS[auth.mode] < STRICTNESS[tool.declaredMode]) {
    return (
      `The upstream declares ${tool.name} ${tool.declaredMode}${tool.declaredScopes.length ? ` (${tool.declaredScopes.join(' ')})` : ''}; ` +
      `the Workbench serves it ${auth.mode}: callers the upstream would refuse get through.`
    )
  }
  const missing =
    auth.mode === 'none' ? [] : tool.declaredScopes.filter((s) => !auth.scopes.includes(s))
  if (missing.length > 0)
    return `The upstream asks for ${missing.join(' ')} on ${tool.name}; the Workbench does not require ${missing.length > 1 ? 'them' : 'it'}.`
  return null
}

/**
 * The known tools updated from a page of tools/list relayed to a client, or null when the page changes nothing.
 * The client decides what to call from that page: the gateway must decide on the same declarations, even when
 * the upstream changed them without saying so (a restarted server sends no list_changed).
 */
export function mergeListedTools(known: UpstreamTool[], result: Json): UpstreamTool[] | null {
  if (!Array.isArray(result.tools)) return null
  const merged = new Map(known.map((t) => [t.name, t]))
  let changed = false
  for (const raw of result.tools) {
    const tool = asObject(raw)
    if (!tool || typeof tool.name !== 'string') continue
    const fresh = toUpstreamTool(tool)
    const before = merged.get(fresh.name)
    if (before && JSON.stringify(before) === JSON.stringify(fresh)) continue
    merged.set(fresh.name, fresh)
    changed = true
  }
  return changed ? [...merged.values()] : null
}

/**
 * tools/list as the client gets it: `securitySchemes` (top level and in `_meta`) say the mode in force; every
 * other field of every tool, `_meta.ui` included, is the upstream's, unchanged.
 */
export function rewriteToolsList(
  result: Json,
  authFor: (tool: UpstreamTool) => { mode: EffectiveWidgetAuth['mode']; scopes: string[] },
): Json {
  if (!Array.isArray(result.tools)) return result
  const tools = result.tools.map((raw: unknown) => {
    const tool = asObject(raw)
    if (!tool || typeof tool.name !== 'string') return raw
    const securitySchemes: SecurityScheme[] = securitySchemesFor(authFor(toUpstreamTool(tool)))
    return { ...tool, securitySchemes, _meta: { ...asObject(tool._meta), securitySchemes } }
  })
  return { ...result, tools }
}

const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []

/** The template's CSP as MCP Apps (`_meta.ui.csp`) or the Apps SDK (`openai/widgetCSP`) declares it. */
export function templateCsp(meta: unknown): UpstreamTemplate['csp'] {
  const m = (meta ?? {}) as Record<string, Record<string, unknown> | undefined>
  const ui = (m.ui?.csp ?? {}) as Record<string, unknown>
  const openai = m['openai/widgetCSP'] ?? {}
  const frames = [...strings(ui.frameDomains), ...strings(openai.frame_domains)]
  return {
    connectDomains: [
      ...new Set([...strings(ui.connectDomains), ...strings(openai.connect_domains)]),
    ],
    resourceDomains: [
      ...new Set([...strings(ui.resourceDomains), ...strings(openai.resource_domains)]),
    ],
    ...(frames.length ? { frameDomains: [...new Set(frames)] } : {}),
  }
}
