import { buildWidgetCsp, type WidgetCsp } from './buildWidgetCsp'
import { hostBridgeScript, type OpenAiGlobals } from './hostBridgeScript'

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')
}

/**
 * The document written into the preview frame: the widget's CSP first (so it governs everything after it), then
 * the host bridge, then the template as the widget ships it.
 */
export function buildWidgetDocument(template: string, csp: WidgetCsp, globals: OpenAiGlobals): { html: string; rejected: string[] } {
  const built = buildWidgetCsp(csp)
  const head = [
    '<!doctype html><html><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(built.policy)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<script>${hostBridgeScript(globals)}</script>`,
    '</head><body>',
  ].join('')
  return { html: `${head}${template}</body></html>`, rejected: built.rejected }
}
