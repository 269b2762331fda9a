import { NO_MILESTONES } from '../../src/shared/milestones'
import type { AppState } from '../../src/shared/contract'
import { WorkbenchConfigSchema } from '../../src/shared/config'
import type { RequestEvent, WidgetSummary } from '../../src/shared/events'
import { IDLE_CONNECT_STATE } from '../../src/shared/issuerTypes'

let nextId = 1

export function requestEvent(overrides: Partial<RequestEvent> = {}): RequestEvent {
  return {
    id: nextId++,
    time: Date.UTC(2026, 0, 1, 12, 0, 0),
    method: 'POST',
    path: '/mcp',
    status: 200,
    latencyMs: 3.2,
    rpcMethod: 'tools/call',
    rpcId: 1,
    tool: 'public-widget',
    widgetMode: 'none',
    identity: null,
    verdict: 'anonymous',
    reason: '',
    reasonCode: null,
    claim: null,
    token: null,
    requestHeaders: {},
    requestBody: null,
    responseBody: null,
    viaPublicUrl: false,
    ...overrides,
  }
}

export function widget(overrides: Partial<WidgetSummary> = {}): WidgetSummary {
  return {
    id: 'protected-widget',
    title: 'Protected',
    description: '',
    declaredMode: 'required',
    declaredScopes: ['user', 'read:data'],
    override: null,
    effectiveMode: 'required',
    effectiveScopes: ['user', 'read:data'],
    securitySchemes: [{ type: 'oauth2', scopes: ['user', 'read:data'] }],
    inputSchema: { type: 'object', properties: { message: { type: 'string', default: 'Hello' } } },
    templateUri: 'ui://widget/protected.html',
    source: 'sample',
    ...overrides,
  }
}

export function appState(overrides: Partial<AppState> = {}): AppState {
  const feature = { available: true, reason: null }
  return {
    status: {
      listening: true,
      localBaseUrl: 'http://127.0.0.1:8001',
      mcpUrl: 'http://127.0.0.1:8001/mcp',
      publicUrl: null,
      connectorUrl: null,
      resource: 'http://127.0.0.1:8001/mcp',
      resourceMetadataUrl: 'http://127.0.0.1:8001/.well-known/oauth-protected-resource/mcp',
      audience: 'http://127.0.0.1:8001/mcp',
      sessions: 0,
      configPath: null,
      configError: null,
      issuer: {
        kind: 'dev',
        issuer: 'http://127.0.0.1:8001/oauth',
        state: 'ready',
        error: null,
        jwksUri: null,
      },
    },
    config: WorkbenchConfigSchema.parse({}),
    widgets: [widget()],
    widgetErrors: [],
    tunnel: {
      state: 'stopped',
      url: null,
      error: null,
      errorCode: null,
      authtokenSet: false,
      authtokenSource: null,
      unavailable: null,
      warnings: [],
    },
    connect: IDLE_CONNECT_STATE,
    milestones: NO_MILESTONES,
    features: {
      devIssuer: feature,
      forge: feature,
      connect: feature,
      tunnel: feature,
      issuerCheck: feature,
    },
    mode: 'browser',
    ...overrides,
  }
}
