import type { IdentityChoice, PreviewRpcResult } from '../../../shared/contract'
import { CommandFailure, runOrThrow } from '../store/workbenchApi'
import { resolveWidgetResource, type WidgetResource } from './widgetResource'

export interface ServerTool {
  name: string
  title?: string
  description?: string
  inputSchema?: Record<string, unknown>
  _meta?: Record<string, unknown>
}
type ListedResource = {
  uri: string
  name?: string
  mimeType?: string
  _meta?: Record<string, unknown>
}

/** The result of a pass-through request, or its JSON-RPC error / HTTP refusal as an exception. */
export async function serverRequest(
  method: string,
  params: Record<string, unknown>,
  identity: IdentityChoice,
): Promise<Record<string, unknown>> {
  const reply: PreviewRpcResult = await runOrThrow('preview:request', [method, params, identity])
  if (reply.httpError)
    throw new CommandFailure('ERR_HTTP', `HTTP ${reply.httpError.status}: ${reply.httpError.body}`)
  const message = reply.reply as {
    result?: Record<string, unknown>
    error?: { code: number; message: string }
  }
  if (message?.error)
    throw new CommandFailure(`JSON-RPC ${message.error.code}`, message.error.message)
  return message?.result ?? {}
}

const lists = new Map<string, Promise<{ tools: ServerTool[]; resources: ListedResource[] }>>()

/** Forgets the cached lists (the widgets changed). */
export function invalidateServerLists(): void {
  lists.clear()
}

/** The server's tools and resources as this identity sees them, cached until the widgets change. */
export function serverLists(
  identity: IdentityChoice,
): Promise<{ tools: ServerTool[]; resources: ListedResource[] }> {
  const key = JSON.stringify(identity)
  let pending = lists.get(key)
  if (!pending) {
    pending = Promise.all([
      serverRequest('tools/list', {}, identity),
      serverRequest('resources/list', {}, identity),
    ]).then(([t, r]) => ({
      tools: (t.tools as ServerTool[]) ?? [],
      resources: (r.resources as ListedResource[]) ?? [],
    }))
    lists.set(key, pending)
    pending.catch(() => lists.get(key) === pending && lists.delete(key))
  }
  return pending
}

/** The template URI a tool renders: MCP Apps `_meta.ui.resourceUri`, else Apps SDK `openai/outputTemplate`. */
export function templateUriOf(tool: ServerTool): string | null {
  const ui = tool._meta?.ui as { resourceUri?: unknown } | undefined
  if (typeof ui?.resourceUri === 'string') return ui.resourceUri
  const legacy = tool._meta?.['ui/resourceUri'] ?? tool._meta?.['openai/outputTemplate']
  return typeof legacy === 'string' ? legacy : null
}

/** Reads the tool's view the way a host does: tools/list → resources/read, with the listing's metadata. */
export async function loadWidgetResource(
  toolName: string,
  identity: IdentityChoice,
): Promise<{ tool: ServerTool; resource: WidgetResource }> {
  const { tools, resources } = await serverLists(identity)
  const tool = tools.find((t) => t.name === toolName)
  if (!tool)
    throw new CommandFailure(
      'ERR_WIDGET_NOT_FOUND',
      `${toolName} is not in the server's tools/list`,
    )
  const uri = templateUriOf(tool)
  if (!uri)
    throw new CommandFailure(
      'ERR_WIDGET_NOT_FOUND',
      `${toolName} declares no view (_meta.ui.resourceUri)`,
    )
  return { tool, resource: await loadResourceByUri(uri, identity, resources) }
}

/** One template by URI (`resources/read`), with its listing's metadata when the server lists it. */
export async function loadResourceByUri(
  uri: string,
  identity: IdentityChoice,
  listed?: Awaited<ReturnType<typeof serverLists>>['resources'],
): Promise<WidgetResource> {
  const resources = listed ?? (await serverLists(identity)).resources
  const read = await serverRequest('resources/read', { uri }, identity)
  const content = ((read.contents as Record<string, unknown>[]) ?? [])[0]
  if (!content)
    throw new CommandFailure('ERR_WIDGET_NOT_FOUND', `resources/read of ${uri} returned no content`)
  return resolveWidgetResource(content, resources.find((r) => r.uri === uri) ?? null)
}
