import type { HostMessage } from '../store/types'
import type { ServerTool } from './previewData'
import { MCP_APP_MIME, SKYBRIDGE_MIME, type WidgetResource } from './widgetResource'

export interface HostVerdict {
  host: 'ChatGPT' | 'MCP Apps host (spec only)'
  works: boolean
  reasons: string[]
}

export interface CompatibilityReport {
  bridges: string[]
  apis: string[]
  displayModes: string[]
  cspDomains: string[]
  verdicts: HostVerdict[]
}

const OPENAI_ONLY = new Set([
  'callTool',
  'setWidgetState',
  'sendFollowUpMessage',
  'requestDisplayMode',
  'requestModal',
  'requestClose',
  'openExternal',
  'setOpenInAppUrl',
  'uploadFile',
  'getFileDownloadUrl',
  'selectFiles',
])

/** What a widget needs from its host, from its declarations and what it did in Preview, and who can host it. */
export function compatibilityReport(
  tool: ServerTool,
  resource: WidgetResource,
  log: HostMessage[],
): CompatibilityReport {
  const fromView = log.filter((m) => m.direction === 'view→host').map((m) => m.kind)
  const openaiUsed = [
    ...new Set(
      log
        .filter((m) => m.direction === 'window.openai' && OPENAI_ONLY.has(m.kind))
        .map((m) => m.kind),
    ),
  ]
  const initialized = fromView.includes('ui/initialize')
  const apis = [
    ...new Set([
      ...fromView.filter((k) => k !== 'response'),
      ...openaiUsed.map((k) => `window.openai.${k}`),
    ]),
  ]
  const modes = [
    ...new Set(
      log
        .filter((m) => m.kind === 'ui/request-display-mode' || m.kind === 'requestDisplayMode')
        .map((m) => /"mode":"(\w+)"/.exec(m.text)?.[1] ?? m.text.split(' ')[0]),
    ),
  ]
  const { csp } = resource
  const cspDomains = [
    ...csp.connectDomains.map((d) => `connect ${d}`),
    ...csp.resourceDomains.map((d) => `resource ${d}`),
    ...(csp.frameDomains ?? []).map((d) => `frame ${d}`),
  ]
  const ui = tool._meta?.ui as { resourceUri?: string } | undefined
  const bridges = [
    ...(initialized || resource.mimeType === MCP_APP_MIME ? ['MCP Apps (ui/*)'] : []),
    ...(openaiUsed.length || resource.mimeType === SKYBRIDGE_MIME ? ['window.openai'] : []),
  ]

  const chatgpt: string[] = []
  if (![MCP_APP_MIME, SKYBRIDGE_MIME].includes(resource.mimeType))
    chatgpt.push(
      `template MIME type ${resource.mimeType || '(none)'} is neither ${MCP_APP_MIME} nor ${SKYBRIDGE_MIME}`,
    )
  if (!ui?.resourceUri && typeof tool._meta?.['openai/outputTemplate'] !== 'string')
    chatgpt.push('the tool names no template (_meta.ui.resourceUri or openai/outputTemplate)')
  if (resource.domain && !/\.oaiusercontent\.com$/i.test(resource.domain))
    chatgpt.push(
      `ui.domain ${resource.domain} is not a ChatGPT sandbox domain (*.oaiusercontent.com)`,
    )
  if (log.some((m) => m.kind === 'CSP blocked'))
    chatgpt.push('the widget reached origins its CSP does not declare (see the log)')
  if (log.some((m) => m.kind === 'uncaught error'))
    chatgpt.push('the widget threw uncaught errors in Preview')

  const spec: string[] = []
  if (resource.mimeType !== MCP_APP_MIME)
    spec.push(
      `a spec host renders only ${MCP_APP_MIME} templates (this one is ${resource.mimeType || 'untyped'})`,
    )
  if (!ui?.resourceUri)
    spec.push('the tool lacks _meta.ui.resourceUri (openai/outputTemplate is ChatGPT-only)')
  if (openaiUsed.length)
    spec.push(`it calls window.openai (${openaiUsed.join(', ')}), which spec hosts do not provide`)
  if (!initialized && !openaiUsed.length && log.length) spec.push('it never sent ui/initialize')
  if (log.some((m) => m.kind === 'CSP blocked'))
    spec.push('the widget reached origins its CSP does not declare')

  return {
    bridges,
    apis,
    displayModes: modes,
    cspDomains,
    verdicts: [
      { host: 'ChatGPT', works: chatgpt.length === 0, reasons: chatgpt },
      { host: 'MCP Apps host (spec only)', works: spec.length === 0, reasons: spec },
    ],
  }
}
