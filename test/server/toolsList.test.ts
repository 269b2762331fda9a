import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ProtocolEra } from '../../src/shared/events'
import { startLocalIssuer, type LocalIssuer } from '../support/localIssuer'
import {
  ERAS,
  INITIALIZE,
  modernHeaders,
  modernRequest,
  postMcp,
  startWorkbench,
  type Fixture,
} from '../support/workbenchFixture'

const AUDIENCE = 'https://api.workbench.test'
let issuer: LocalIssuer
let fx: Fixture

beforeAll(async () => {
  issuer = await startLocalIssuer()
  fx = await startWorkbench({
    auth: { issuer: issuer.issuer, audience: AUDIENCE, requiredScopes: ['user'] },
  })
})
afterAll(async () => {
  await fx?.close()
  await issuer?.close()
})

async function rawToolsList(url: string, era: ProtocolEra): Promise<{ name: string }[]> {
  if (era === 'modern') {
    const list = await postMcp(url, modernRequest(2, 'tools/list'), modernHeaders('tools/list'))
    return (list.json as { result: { tools: { name: string }[] } }).result.tools
  }
  const init = await postMcp(url, INITIALIZE)
  const session = init.headers.get('mcp-session-id') ?? ''
  const headers = { 'mcp-session-id': session, 'mcp-protocol-version': '2025-06-18' }
  await postMcp(url, { jsonrpc: '2.0', method: 'notifications/initialized' }, headers)
  const list = await postMcp(url, { jsonrpc: '2.0', id: 2, method: 'tools/list' }, headers)
  return (list.json as { result: { tools: { name: string }[] } }).result.tools
}

describe.each(ERAS)('tools/list (%s era)', (era) => {
  // Raw HTTP: the SDK client's ToolSchema strips the top-level securitySchemes ChatGPT reads.
  it('advertises securitySchemes top-level and in _meta for each auth mode', async () => {
    const tools = await rawToolsList(fx.workbench.mcpUrl(), era)
    const byName = Object.fromEntries(
      tools.map((t) => [
        t.name,
        t as Record<string, unknown> & { _meta?: Record<string, unknown> },
      ]),
    )
    expect(Object.keys(byName).sort()).toEqual([
      'flexible-widget',
      'protected-widget',
      'public-widget',
      'search_pizza_sf',
      'see_past_orders',
    ])
    expect(byName['protected-widget'].securitySchemes).toEqual([
      { type: 'oauth2', scopes: ['user', 'read:data'] },
    ])
    expect(byName['public-widget'].securitySchemes).toEqual([{ type: 'noauth' }])
    expect(byName['flexible-widget'].securitySchemes).toEqual([
      { type: 'noauth' },
      { type: 'oauth2', scopes: ['user'] },
    ])
    expect(byName['see_past_orders'].securitySchemes).toEqual([{ type: 'oauth2', scopes: [] }])
    for (const tool of tools) {
      const t = tool as unknown as Record<string, unknown> & { _meta: Record<string, unknown> }
      expect(t._meta.securitySchemes).toEqual(t.securitySchemes)
      expect(t._meta['openai/outputTemplate']).toBe(`ui://widget/${tool.name}.html`)
      expect(t._meta.ui).toEqual({ resourceUri: `ui://widget/${tool.name}.mcp-app.html` })
      expect(t._meta['openai/widgetAccessible']).toBe(true)
    }
    expect(byName['protected-widget']._meta?.['openai/toolInvocation/invoking']).toBe(
      'Loading protected widget...',
    )
  })

  it('serves each template as a text/html+skybridge resource with its widget CSP', async () => {
    const client = await fx.connect(undefined, era)
    const { contents } = await client.readResource({ uri: 'ui://widget/protected-widget.html' })
    expect(contents[0].mimeType).toBe('text/html+skybridge')
    expect(String((contents[0] as { text?: string }).text)).toContain('window.openai')
    expect(contents[0]._meta?.['openai/widgetCSP']).toEqual({
      connect_domains: [],
      resource_domains: [],
    })
  })

  it('serves the same template to MCP Apps hosts as text/html;profile=mcp-app behind _meta.ui.resourceUri', async () => {
    const client = await fx.connect(undefined, era)
    const { resources } = await client.listResources()
    const uris = resources
      .filter((r) => r.name === 'protected-widget')
      .map((r) => [r.uri, r.mimeType])
    expect(uris).toEqual([
      ['ui://widget/protected-widget.html', 'text/html+skybridge'],
      ['ui://widget/protected-widget.mcp-app.html', 'text/html;profile=mcp-app'],
    ])
    const skybridge = await client.readResource({ uri: 'ui://widget/protected-widget.html' })
    const app = await client.readResource({ uri: 'ui://widget/protected-widget.mcp-app.html' })
    expect(app.contents[0].mimeType).toBe('text/html;profile=mcp-app')
    expect((app.contents[0] as { text?: string }).text).toBe(
      (skybridge.contents[0] as { text?: string }).text,
    )
    expect(app.contents[0]._meta?.ui).toMatchObject({
      csp: { connectDomains: [], resourceDomains: [] },
    })
  })
})
