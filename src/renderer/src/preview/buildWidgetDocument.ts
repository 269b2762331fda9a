import { buildWidgetCsp, type WidgetCsp } from './buildWidgetCsp'
import { hostBridgeScript, type OpenAiGlobals } from './hostBridgeScript'

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')
}

/**
 * The document written into the preview frame: the widget's CSP first (so it governs everything after it), then
 * the `window.openai` bridge, then the template as the widget ships it. A template that is a whole document
 * (as MCP Apps bundles are) gets the two at the top of its own `<head>`.
 */
export function buildWidgetDocument(
  template: string,
  csp: WidgetCsp,
  globals: OpenAiGlobals,
): { html: string; rejected: string[] } {
  const built = buildWidgetCsp(csp)
  const inject = [
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(built.policy)}">`,
    `<script>${hostBridgeScript(globals)}</script>`,
  ].join('')
  const head = /<head(\s[^>]*)?>/i.exec(template)
  if (head) {
    const at = head.index + head[0].length
    return {
      html: `${template.slice(0, at)}${inject}${template.slice(at)}`,
      rejected: built.rejected,
    }
  }
  const html = /<html(\s[^>]*)?>/i.exec(template)
  if (html) {
    const at = html.index + html[0].length
    return {
      html: `${template.slice(0, at)}<head>${inject}</head>${template.slice(at)}`,
      rejected: built.rejected,
    }
  }
  const doc = [
    '<!doctype html><html><head>',
    inject,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '</head><body>',
  ].join('')
  return { html: `${doc}${template}</body></html>`, rejected: built.rejected }
}
