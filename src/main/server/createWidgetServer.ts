import { Server } from '@modelcontextprotocol/sdk/server/index.js'
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv'
import type { JsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/types.js'
import {
  CallToolRequestSchema, ErrorCode, ListResourcesRequestSchema, ListResourceTemplatesRequestSchema, ListToolsRequestSchema,
  McpError, ReadResourceRequestSchema, type CallToolResult,
} from '@modelcontextprotocol/sdk/types.js'
import { authorizeWidgetCall } from '../auth/authorizeWidgetCall'
import type { EffectiveWidgetAuth } from '../widgets/widgetAuth'
import { createUserContext, type WidgetDefinition } from '../widgets/widgetDefinition'
import { toolsForClient } from '../widgets/toolVisibility'
import { resourceContents, resourceDescriptor, templateUri, toolDescriptor } from '../widgets/widgetDescriptors'
import { contextOf } from './requestContext'
import { runWidgetHandler } from './runWidgetHandler'

export interface WidgetServerDeps {
  widgets(): WidgetDefinition[]
  widget(id: string): WidgetDefinition | undefined
  effectiveAuth(widget: WidgetDefinition): EffectiveWidgetAuth
  resourceMetadataUrl(): string
  handlerTimeoutMs(): number
}

export const SERVER_INFO = { name: 'mcp-auth-workbench', title: 'MCP Auth Workbench', version: '0.1.0' }

const ajv = new AjvJsonSchemaValidator()
const validators = new WeakMap<object, JsonSchemaValidator<unknown>>()

function validateInput(widget: WidgetDefinition, args: Record<string, unknown>): string | null {
  let validate = validators.get(widget.manifest.inputSchema)
  if (!validate) {
    validate = ajv.getValidator(widget.manifest.inputSchema as never)
    validators.set(widget.manifest.inputSchema, validate)
  }
  const result = validate(args)
  return result.valid ? null : result.errorMessage ?? 'invalid arguments'
}

/** One MCP server (one per session) whose tools are the widgets, each with its auth mode applied on every call. */
export function createWidgetServer(deps: WidgetServerDeps): Server {
  const server = new Server(SERVER_INFO, {
    capabilities: { tools: { listChanged: true }, resources: { listChanged: true } },
    instructions: 'Widgets served by MCP Auth Workbench. Some tools need the user to sign in; their securitySchemes say which.',
  })

  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: toolsForClient(deps.widgets().map((w) => toolDescriptor(w, deps.effectiveAuth(w))), server.getClientCapabilities()) as never,
  }))

  server.setRequestHandler(ListResourcesRequestSchema, () => ({ resources: deps.widgets().map(resourceDescriptor) as never }))
  server.setRequestHandler(ListResourceTemplatesRequestSchema, () => ({ resourceTemplates: [] }))
  server.setRequestHandler(ReadResourceRequestSchema, (request) => {
    const widget = deps.widgets().find((w) => templateUri(w.id) === request.params.uri)
    if (!widget) throw new McpError(ErrorCode.InvalidParams, `Unknown resource: ${request.params.uri}`)
    return { contents: [resourceContents(widget)] as never }
  })

  server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
    const ctx = contextOf(extra.authInfo)
    const name = request.params.name
    ctx.tool = name
    const widget = deps.widget(name)
    if (!widget) {
      ctx.verdict = 'error'
      ctx.reason = `unknown tool ${name}`
      throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${name}`)
    }
    const auth = deps.effectiveAuth(widget)
    ctx.widgetMode = auth.mode
    const decision = authorizeWidgetCall(auth, ctx.token, deps.resourceMetadataUrl())
    ctx.verdict = decision.verdict
    ctx.reason = decision.reason
    if (!decision.run) {
      return { content: [{ type: 'text', text: decision.text }], isError: true, _meta: { 'mcp/www_authenticate': [decision.challenge] } }
    }
    const args = request.params.arguments ?? {}
    const invalid = validateInput(widget, args)
    if (invalid) {
      ctx.verdict = 'error'
      ctx.reason = `invalid arguments: ${invalid}`
      return { content: [{ type: 'text', text: `Invalid arguments for ${name}: ${invalid}` }], isError: true }
    }
    const token = decision.token
    const user = createUserContext(token ? { subject: token.subject, clientId: token.clientId, scopes: token.scopes, claims: token.claims } : null)
    const outcome = await runWidgetHandler(widget, args, user, { timeoutMs: deps.handlerTimeoutMs(), signal: extra.signal })
    if (!outcome.ok) {
      ctx.verdict = 'error'
      ctx.reason = `${decision.reason}; ${outcome.reason}`
      ctx.errorStack = outcome.stack
      return { content: [{ type: 'text', text: outcome.message }], isError: true }
    }
    return outcome.result
  })
  return server
}
