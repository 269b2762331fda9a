import { describe, expect, it } from 'vitest'
import { buildWidgetCsp } from '../../src/renderer/src/preview/buildWidgetCsp'
import { compatibilityReport } from '../../src/renderer/src/preview/compatibilityReport'
import {
  allowAttribute,
  MCP_APP_MIME,
  resolveWidgetResource,
  SKYBRIDGE_MIME,
} from '../../src/renderer/src/preview/widgetResource'

const directive = (policy: string, name: string) =>
  policy.split('; ').find((d) => d.startsWith(`${name} `))

describe('CSP and sandbox from the resource (issue 13 item 9)', () => {
  it('takes _meta.ui from the content item over the listing, whole', () => {
    const listing = {
      uri: 'ui://a',
      _meta: {
        ui: { csp: { connectDomains: ['https://listing.example'] }, permissions: { camera: {} } },
      },
    }
    const content = {
      uri: 'ui://a',
      mimeType: MCP_APP_MIME,
      text: '<p>',
      _meta: { ui: { csp: { resourceDomains: ['https://cdn.example'] } } },
    }
    const r = resolveWidgetResource(content, listing)
    expect(r.cspSource).toBe('content')
    expect(r.csp.connectDomains).toEqual([])
    expect(r.csp.resourceDomains).toEqual(['https://cdn.example'])
    expect(r.permissions).toEqual({ camera: {} }) // only the listing declares permissions
    expect(resolveWidgetResource({ ...content, _meta: {} }, listing).csp.connectDomains).toEqual([
      'https://listing.example',
    ])
  })

  it('falls back to openai/widgetCSP, then to the restrictive default', () => {
    const sdk = resolveWidgetResource(
      {
        text: '',
        _meta: {
          'openai/widgetCSP': { connect_domains: ['https://api.example'], resource_domains: [] },
        },
      },
      null,
    )
    expect([sdk.cspSource, sdk.csp.connectDomains]).toEqual([
      'openai/widgetCSP',
      ['https://api.example'],
    ])
    const none = resolveWidgetResource({ text: '' }, null)
    expect(none.cspSource).toBe('default')
    const policy = buildWidgetCsp(none.csp).policy
    expect(directive(policy, 'connect-src')).toBe("connect-src 'none'")
    expect(directive(policy, 'frame-src')).toBe("frame-src 'none'")
    expect(directive(policy, 'base-uri')).toBe("base-uri 'none'")
  })

  it('maps frameDomains and baseUriDomains, never loosening with keywords', () => {
    const { policy, rejected } = buildWidgetCsp({
      connectDomains: ["'unsafe-eval'"],
      resourceDomains: [],
      frameDomains: ['https://www.youtube.com'],
      baseUriDomains: ['https://cdn.example'],
    })
    expect(directive(policy, 'frame-src')).toBe('frame-src https://www.youtube.com')
    expect(directive(policy, 'base-uri')).toBe('base-uri https://cdn.example')
    expect(directive(policy, 'connect-src')).toBe("connect-src 'none'")
    expect(rejected).toEqual(["'unsafe-eval'"])
  })

  it('turns ui.permissions into the frame allow attribute, nothing when none', () => {
    expect(allowAttribute({ camera: {}, clipboardWrite: {} })).toBe('camera; clipboard-write')
    expect(allowAttribute({})).toBe('')
  })
})

describe('compatibility report (issue 13 item 14)', () => {
  const tool = { name: 't', _meta: { 'openai/outputTemplate': 'ui://widget/t.html' } }
  const resource = resolveWidgetResource(
    { uri: 'ui://widget/t.html', mimeType: SKYBRIDGE_MIME, text: '' },
    null,
  )

  it('an Apps SDK widget using window.openai works in ChatGPT, not in a spec-only host, with reasons', () => {
    const report = compatibilityReport(tool, resource, [
      { at: 0, kind: 'callTool', text: 'x {}', direction: 'window.openai' },
    ])
    expect(report.bridges).toEqual(['window.openai'])
    expect(report.apis).toEqual(['window.openai.callTool'])
    const [chatgpt, spec] = report.verdicts
    expect(chatgpt).toMatchObject({ host: 'ChatGPT', works: true })
    expect(spec.works).toBe(false)
    expect(spec.reasons.join(' ')).toMatch(
      /text\/html;profile=mcp-app.*_meta\.ui\.resourceUri.*window\.openai/s,
    )
  })

  it('an MCP Apps view works in both; an undeclared origin fails both', () => {
    const mcpTool = { name: 't', _meta: { ui: { resourceUri: 'ui://t' } } }
    const view = resolveWidgetResource({ uri: 'ui://t', mimeType: MCP_APP_MIME, text: '' }, null)
    const log = [{ at: 0, kind: 'ui/initialize', text: '', direction: 'view→host' }]
    expect(compatibilityReport(mcpTool, view, log).verdicts.map((v) => v.works)).toEqual([
      true,
      true,
    ])
    const blocked = [
      ...log,
      {
        at: 1,
        kind: 'CSP blocked',
        text: 'https://x.example (connect-src)',
        direction: 'window.openai',
      },
    ]
    expect(compatibilityReport(mcpTool, view, blocked).verdicts.map((v) => v.works)).toEqual([
      false,
      false,
    ])
  })
})
