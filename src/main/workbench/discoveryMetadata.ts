import type { WorkbenchConfig } from '../../shared/config'
import type { IssuerSource } from '../auth/issuerSource'
import type { EffectiveWidgetAuth } from '../widgets/widgetAuth'
import type { WidgetDefinition } from '../widgets/widgetDefinition'
import { origin, type PublicUrls } from './publicUrls'

export interface DiscoveryInputs {
  config: WorkbenchConfig
  urls: PublicUrls
  /** Null when auth is off. */
  source: IssuerSource | null
  widgets: WidgetDefinition[]
  effectiveAuth(widget: WidgetDefinition): EffectiveWidgetAuth
  /** Gateway mode: the scopes the upstream's tools declare and are served with. */
  upstreamScopes?: string[]
}

/** RFC 9728 protected-resource metadata; null when auth is off. */
export async function protectedResourceMetadata(
  inputs: DiscoveryInputs,
): Promise<Record<string, unknown> | null> {
  const { source, urls } = inputs
  if (!source) return null
  // The identifier exactly as the issuer publishes it (RFC 9207 clients compare it as a string).
  const issuer = await source.resolve().then(
    (r) => r.issuer,
    () => source.configuredIssuer,
  )
  const scopes = new Set<string>(inputs.config.auth.requiredScopes)
  for (const w of inputs.widgets) for (const s of inputs.effectiveAuth(w).scopes) scopes.add(s)
  for (const s of inputs.upstreamScopes ?? []) scopes.add(s)
  return {
    resource: urls.resource,
    authorization_servers: [issuer],
    scopes_supported: [...scopes].sort(),
    bearer_methods_supported: ['header'],
    resource_name: 'MCP Auth Workbench',
    resource_documentation: `${origin(urls.base)}/`,
  }
}

/** The issuer's RFC 8414 metadata at the root, or path-inserted for our own issuer's path only. */
export async function authorizationServerMetadata(
  source: IssuerSource | null,
  path: string,
): Promise<Record<string, unknown> | null> {
  if (!source) return null
  const issuerPath = new URL(source.configuredIssuer).pathname.replace(/\/$/, '')
  const suffix = path.replace(
    /^\/\.well-known\/(oauth-authorization-server|openid-configuration)/,
    '',
  )
  if (suffix !== '' && suffix !== issuerPath) return null
  try {
    return (await source.resolve()).metadata
  } catch {
    return null
  }
}
