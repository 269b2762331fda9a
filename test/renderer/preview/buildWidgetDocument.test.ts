import { describe, expect, it } from 'vitest'
import { buildWidgetCsp } from '../../../src/renderer/src/preview/buildWidgetCsp'
import { buildWidgetDocument } from '../../../src/renderer/src/preview/buildWidgetDocument'
import { scriptJson, type OpenAiGlobals } from '../../../src/renderer/src/preview/hostBridgeScript'

const globals: OpenAiGlobals = {
  toolInput: { message: '</script><script>alert(1)</script>' },
  toolOutput: null,
  toolResponseMetadata: null,
  widgetState: null,
  theme: 'dark',
  displayMode: 'inline',
  locale: 'en-US',
  maxHeight: 560,
  safeArea: { insets: { top: 0, bottom: 0, left: 0, right: 0 } },
  userAgent: { device: { type: 'desktop' }, capabilities: { hover: true, touch: false } },
  view: { mode: 'inline' },
}

const directive = (policy: string, name: string) =>
  policy.split('; ').find((d) => d.startsWith(`${name} `))

describe('widget CSP', () => {
  it('allows network only to declared connect domains and resources only from declared resource domains', () => {
    const { policy, rejected } = buildWidgetCsp({
      connectDomains: ['https://api.example.com'],
      resourceDomains: ['https://cdn.example.com'],
    })
    expect(rejected).toEqual([])
    expect(directive(policy, 'connect-src')).toBe('connect-src https://api.example.com')
    expect(directive(policy, 'script-src')).toBe(
      "script-src 'unsafe-inline' https://cdn.example.com",
    )
    expect(directive(policy, 'frame-src')).toBe("frame-src 'none'")
    expect(directive(policy, 'default-src')).toBe("default-src 'none'")
  })

  it('refuses declared sources that would inject directives or keywords', () => {
    const { policy, rejected } = buildWidgetCsp({
      connectDomains: [
        'https://a.example; script-src *',
        "'unsafe-eval'",
        '*',
        'https://ok.example',
      ],
      resourceDomains: ['javascript:alert(1)'],
    })
    expect(rejected).toEqual([
      'https://a.example; script-src *',
      "'unsafe-eval'",
      '*',
      'javascript:alert(1)',
    ])
    expect(directive(policy, 'connect-src')).toBe('connect-src https://ok.example')
    expect(policy).not.toContain('unsafe-eval')
  })

  it('connects nowhere when nothing is declared', () => {
    expect(
      directive(buildWidgetCsp({ connectDomains: [], resourceDomains: [] }).policy, 'connect-src'),
    ).toBe("connect-src 'none'")
  })
})

describe('widget document', () => {
  it('puts the CSP before the bridge and the bridge before the template', () => {
    const { html } = buildWidgetDocument(
      '<div id="root"></div><script>render()</script>',
      { connectDomains: [], resourceDomains: [] },
      globals,
    )
    const csp = html.indexOf('Content-Security-Policy')
    const bridge = html.indexOf("Object.defineProperty(window, 'openai'")
    expect(csp).toBeGreaterThan(-1)
    expect(bridge).toBeGreaterThan(csp)
    expect(html.indexOf('<div id="root">')).toBeGreaterThan(bridge)
  })

  it('embeds tool input so that it cannot close the bridge script', () => {
    const { html } = buildWidgetDocument('', { connectDomains: [], resourceDomains: [] }, globals)
    expect(html.match(/<\/script>/g)).toHaveLength(1)
    expect(JSON.parse(scriptJson(globals.toolInput))).toEqual(globals.toolInput)
  })
})
