/** A widget's declared CSP (`openai/widgetCSP` / MCP Apps `ui.csp`). */
export interface WidgetCsp {
  connectDomains: string[]
  resourceDomains: string[]
  frameDomains?: string[]
  /** MCP Apps `baseUriDomains`: what `<base href>` may point at. */
  baseUriDomains?: string[]
}

export interface BuiltCsp {
  policy: string
  /** Declared sources refused because they could inject directives or are not origins. */
  rejected: string[]
}

const SOURCE =
  /^(https?|wss?):\/\/(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:(\d{1,5}|\*))?(\/[A-Za-z0-9._~%/-]*)?$/

function accept(list: readonly string[] | undefined, rejected: string[]): string[] {
  const out: string[] = []
  for (const raw of list ?? []) {
    const source = raw.trim()
    if (SOURCE.test(source)) out.push(source)
    else rejected.push(raw)
  }
  return out
}

/**
 * The policy the preview enforces on a widget, from what it declares, as ChatGPT does: inline script and style
 * (templates are single HTML files), scripts/styles/images/fonts only from `resourceDomains`, network only to
 * `connectDomains`, frames only from `frameDomains`. Sources that are not plain origins are dropped and reported.
 */
export function buildWidgetCsp(csp: WidgetCsp): BuiltCsp {
  const rejected: string[] = []
  const connect = accept(csp.connectDomains, rejected)
  const resources = accept(csp.resourceDomains, rejected)
  const frames = accept(csp.frameDomains, rejected)
  const bases = accept(csp.baseUriDomains, rejected)
  const list = (sources: string[], fallback: string): string =>
    sources.length ? sources.join(' ') : fallback
  const directives = [
    "default-src 'none'",
    `script-src 'unsafe-inline' ${resources.join(' ')}`.trim(),
    `style-src 'unsafe-inline' ${resources.join(' ')}`.trim(),
    `img-src data: blob: ${resources.join(' ')}`.trim(),
    `font-src data: ${resources.join(' ')}`.trim(),
    `media-src ${list(resources, "'none'")}`,
    `connect-src ${list(connect, "'none'")}`,
    `frame-src ${list(frames, "'none'")}`,
    `base-uri ${list(bases, "'none'")}`,
    "object-src 'none'",
    "form-action 'none'",
  ]
  return { policy: directives.join('; '), rejected }
}
