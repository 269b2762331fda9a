/** The MCP Apps extension a client advertises in `capabilities.extensions` when it can render views. */
export const UI_EXTENSION_ID = 'io.modelcontextprotocol/ui'

type ToolLike = { _meta?: Record<string, unknown> }

function visibilityOf(tool: ToolLike): string[] | null {
  const ui = tool._meta?.ui as { visibility?: unknown } | undefined
  return Array.isArray(ui?.visibility) ? ui.visibility.map(String) : null
}

/** True for a tool the model must not see: MCP Apps `visibility: ["app"]` or Apps SDK `openai/visibility: "private"`. */
export function isAppOnlyTool(tool: ToolLike): boolean {
  const visibility = visibilityOf(tool)
  if (visibility) return !visibility.includes('model')
  return tool._meta?.['openai/visibility'] === 'private'
}

/** True for a tool a view may call: `visibility` including "app", else Apps SDK `openai/widgetAccessible`. */
export function isAppCallableTool(tool: ToolLike): boolean {
  const visibility = visibilityOf(tool)
  if (visibility) return visibility.includes('app')
  return tool._meta?.['openai/widgetAccessible'] !== false
}

function rendersViews(capabilities: unknown): boolean {
  const extensions = (capabilities as { extensions?: Record<string, unknown> } | null | undefined)
    ?.extensions
  return Boolean(extensions && typeof extensions === 'object' && UI_EXTENSION_ID in extensions)
}

/**
 * The `tools/list` a client gets: app-only tools are left out for clients that render no views (a model's
 * plain client), and kept, marked, for hosts that advertise the MCP Apps extension: they hide them from the
 * model themselves and let their views call them.
 */
export function toolsForClient<T extends ToolLike>(tools: T[], clientCapabilities: unknown): T[] {
  return rendersViews(clientCapabilities) ? tools : tools.filter((t) => !isAppOnlyTool(t))
}
