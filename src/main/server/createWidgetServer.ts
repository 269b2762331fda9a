import {
  ProtocolError,
  ProtocolErrorCode,
  ResourceNotFoundError,
  Server,
  type CallToolResult,
  type JSONRPCMessage,
  type JsonSchemaValidator,
  type Transport,
  type TransportSendOptions,
} from '@modelcontextprotocol/server'
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/server/validators/ajv'
import type { EffectiveWidgetAuth } from '../widgets/widgetAuth'
import { createUserContext, type WidgetDefinition } from '../widgets/widgetDefinition'
import { toolsForClient } from '../widgets/toolVisibility'
import type { Exchange, ExchangeTable } from './exchange'
import { runWidgetHandler } from './runWidgetHandler'
import { widgetResources, widgetTemplateContents, widgetTool } from './widgetTemplates'

export interface WidgetServerDeps {
  widgets(): WidgetDefinition[]
  effectiveAuth(widget: WidgetDefinition): EffectiveWidgetAuth
  handlerTimeoutMs(): number
}

export const SERVER_INFO = {
  name: 'mcp-auth-workbench',
  title: 'MCP Auth Workbench',
  version: '0.1.0',
}

/** Lists change live (modes, widget folders): cached only briefly, and per caller where they vary. */
const CACHE_HINTS = {
  'tools/list': { ttlMs: 5_000, cacheScope: 'private' },
  'resources/list': { ttlMs: 5_000, cacheScope: 'public' },
  'resources/templates/list': { ttlMs: 60_000, cacheScope: 'public' },
  'resources/read': { ttlMs: 5_000, cacheScope: 'public' },
} as const

const ajv = new AjvJsonSchemaValidator()
const validators = new WeakMap<object, JsonSchemaValidator<unknown>>()

function validateInput(widget: WidgetDefinition, args: Record<string, unknown>): string | null {
  let validate = validators.get(widget.manifest.inputSchema)
  if (!validate) {
    validate = ajv.getValidator(widget.manifest.inputSchema as never)
    validators.set(widget.manifest.inputSchema, validate)
  }
  const result = validate(args)
  return result.valid ? null : (result.errorMessage ?? 'invalid arguments')
}

/**
 * The widgets as one MCP server instance (per legacy session, or pooled for modern requests).
 * `exchanges` carries each request's decision in and the messages the transport sent out.
 */
export class WidgetServer extends Server {
  readonly exchanges: ExchangeTable = new Map()

  /** Observes every message the transport is handed, filing it under the request it answers. */
  override async connect(transport: Transport): Promise<void> {
    const send = transport.send.bind(transport)
    transport.send = (message: JSONRPCMessage, options?: TransportSendOptions) => {
      const id = 'id' in message && !('method' in message) ? message.id : options?.relatedRequestId
      if (id !== undefined) this.exchanges.get(id)?.sent.push(message)
      return send(message, options)
    }
    await super.connect(transport)
  }
}

/** One MCP server whose tools are the widgets; each call runs only as its exchange's decision allows. */
export function createWidgetServer(deps: WidgetServerDeps): WidgetServer {
  const server = new WidgetServer(SERVER_INFO, {
    capabilities: { tools: { listChanged: true }, resources: { listChanged: true } },
    instructions:
      'Widgets served by MCP Auth Workbench. Some tools need the user to sign in; their securitySchemes say which.',
    cacheHints: CACHE_HINTS,
  })

  // App-only tools reach only hosts that render views (the MCP Apps extension in their capabilities).
  server.setRequestHandler('tools/list', () => {
    const tools = deps.widgets().map((w) => widgetTool(w, deps.effectiveAuth(w)))
    return { tools: toolsForClient(tools, server.getClientCapabilities()) as never }
  })
  server.setRequestHandler('resources/list', () => ({
    resources: deps.widgets().flatMap(widgetResources) as never,
  }))
  server.setRequestHandler('resources/templates/list', () => ({ resourceTemplates: [] }))
  server.setRequestHandler('resources/read', (request) => {
    const contents = widgetTemplateContents(deps.widgets(), request.params.uri)
    if (!contents) throw new ResourceNotFoundError(request.params.uri)
    return { contents: [contents] as never }
  })

  server.setRequestHandler('tools/call', async (request, ctx): Promise<CallToolResult> => {
    const exchange = server.exchanges.get(ctx.mcpReq.id)
    if (!exchange)
      throw new ProtocolError(ProtocolErrorCode.InternalError, 'Call was not authorized')
    return callWidget(
      exchange,
      request.params.arguments ?? {},
      deps.handlerTimeoutMs(),
      ctx.mcpReq.signal,
    )
  })
  return server
}

async function callWidget(
  exchange: Exchange,
  args: Record<string, unknown>,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<CallToolResult> {
  const authorization = exchange.authorization
  if (authorization.kind === 'unknown-tool') {
    throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Unknown tool: ${authorization.tool}`)
  }
  if (authorization.kind !== 'widget') {
    throw new ProtocolError(ProtocolErrorCode.InternalError, 'Call was not authorized')
  }
  const { widget, decision } = authorization
  if (!decision.run) {
    return {
      content: [{ type: 'text', text: decision.text }],
      isError: true,
      _meta: { 'mcp/www_authenticate': [decision.challenge] },
    }
  }
  const invalid = validateInput(widget, args)
  if (invalid) {
    exchange.failure = `invalid arguments: ${invalid}`
    return {
      content: [{ type: 'text', text: `Invalid arguments for ${widget.id}: ${invalid}` }],
      isError: true,
    }
  }
  const token = decision.token ?? null
  const user = createUserContext(
    token
      ? {
          subject: token.subject,
          clientId: token.clientId,
          scopes: token.scopes,
          claims: token.claims,
        }
      : null,
  )
  const outcome = await runWidgetHandler(widget, args, user, { timeoutMs, signal })
  if (!outcome.ok) {
    exchange.failure = outcome.reason
    exchange.errorStack = outcome.stack
    return { content: [{ type: 'text', text: outcome.message }], isError: true }
  }
  return outcome.result
}
