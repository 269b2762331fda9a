import { z } from 'zod'
import { AuthModeSchema, ScopeSchema } from '../../shared/config'
import type { IsolatedHandler } from './handlerWorkers'

/** `widget.json` in a widget folder. */
export const WidgetManifestSchema = z.object({
  title: z.string().min(1),
  description: z.string().min(1),
  /** The auth mode the widget declares; the config's `widgets` entry overrides it. */
  auth: z
    .object({ mode: AuthModeSchema.default('inherit'), scopes: z.array(ScopeSchema).default([]) })
    .prefault({}),
  /** JSON Schema of the tool's arguments (type object). */
  inputSchema: z
    .object({ type: z.literal('object') })
    .loose()
    .default({ type: 'object', properties: {} }),
  /** Status texts ChatGPT shows while and after the tool runs; 64 characters at most. */
  invoking: z.string().max(64).optional(),
  invoked: z.string().max(64).optional(),
  /** Domains the template may reach (Apps SDK widget CSP). */
  csp: z
    .object({
      connectDomains: z.array(z.string()).default([]),
      resourceDomains: z.array(z.string()).default([]),
      frameDomains: z.array(z.string()).optional(),
    })
    .prefault({}),
  widgetAccessible: z.boolean().default(true),
  /** Who sees the tool (MCP Apps `_meta.ui.visibility`): ["app"] hides it from the model. Default both. */
  visibility: z
    .array(z.enum(['model', 'app']))
    .min(1)
    .optional(),
  prefersBorder: z.boolean().default(true),
  annotations: z
    .object({
      readOnlyHint: z.boolean().default(true),
      destructiveHint: z.boolean().default(false),
      openWorldHint: z.boolean().default(false),
      idempotentHint: z.boolean().optional(),
    })
    .prefault({}),
  /** Template file name in the folder. */
  template: z.string().default('template.html'),
  /** Handler module file name in the folder. */
  handler: z.string().default('handler.js'),
})
export type WidgetManifest = z.infer<typeof WidgetManifestSchema>

/** What a handler receives about the caller. */
export interface UserContext {
  isAuthenticated: boolean
  subject: string | null
  clientId: string | null
  scopes: string[]
  claims: Record<string, unknown>
  hasScope(scope: string): boolean
}

export interface WidgetHandlerContext {
  user: UserContext
  /** Aborted when the call times out or the client cancels. */
  signal: AbortSignal
  widget: { id: string; title: string }
}

/** A handler returns the structured content, or a full result. */
export type WidgetHandlerResult =
  | Record<string, unknown>
  | {
      structuredContent: Record<string, unknown>
      content?: unknown[]
      _meta?: Record<string, unknown>
    }
export type WidgetHandler = (
  input: Record<string, unknown>,
  context: WidgetHandlerContext,
) => WidgetHandlerResult | Promise<WidgetHandlerResult>

export interface WidgetDefinition {
  id: string
  manifest: WidgetManifest
  template: string
  handler: WidgetHandler
  /** Set for project widgets: the handler runs in a worker thread that can be stopped, not in `handler`. */
  isolated?: IsolatedHandler
  /** Folder it was loaded from. */
  source: string
}

export function createUserContext(
  input: {
    subject: string | null
    clientId: string | null
    scopes: string[]
    claims: Record<string, unknown>
  } | null,
): UserContext {
  const scopes = input?.scopes ?? []
  const set = new Set(scopes)
  return {
    isAuthenticated: input !== null,
    subject: input?.subject ?? null,
    clientId: input?.clientId ?? null,
    scopes,
    claims: input?.claims ?? {},
    hasScope: (scope) => set.has(scope),
  }
}
