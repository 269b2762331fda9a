import type { CallToolResult } from '@modelcontextprotocol/server'
import type { UserContext, WidgetDefinition } from '../widgets/widgetDefinition'

export type HandlerOutcome =
  { ok: true; result: CallToolResult } | { ok: false; reason: string; message: string }

/** Runs a widget handler with a deadline; a throw, a hang or a bad return value becomes a tool error, never a crash. */
export async function runWidgetHandler(
  widget: WidgetDefinition,
  input: Record<string, unknown>,
  user: UserContext,
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<HandlerOutcome> {
  const controller = new AbortController()
  const abort = () => controller.abort(options.signal?.reason)
  options.signal?.addEventListener('abort', abort, { once: true })
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), options.timeoutMs)
  })
  try {
    const value = await Promise.race([
      Promise.resolve().then(() =>
        widget.handler(input, {
          user,
          signal: controller.signal,
          widget: { id: widget.id, title: widget.manifest.title },
        }),
      ),
      deadline,
    ])
    if (value === 'timeout') {
      controller.abort(new Error('timeout'))
      const seconds = options.timeoutMs / 1000
      return {
        ok: false,
        reason: `handler timed out after ${seconds}s`,
        message: `The ${widget.id} widget did not answer within ${seconds} s.`,
      }
    }
    return toResult(widget, value)
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err)
    return {
      ok: false,
      reason: `handler threw: ${message}`,
      message: `The ${widget.id} widget failed: ${message}`,
    }
  } finally {
    clearTimeout(timer)
    options.signal?.removeEventListener('abort', abort)
  }
}

function toResult(widget: WidgetDefinition, value: unknown): HandlerOutcome {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return {
      ok: false,
      reason: 'handler returned no object',
      message: `The ${widget.id} widget returned ${Array.isArray(value) ? 'an array' : typeof value}, not an object.`,
    }
  }
  const record = value as Record<string, unknown>
  if (
    'structuredContent' in record &&
    record.structuredContent &&
    typeof record.structuredContent === 'object'
  ) {
    const structuredContent = record.structuredContent as Record<string, unknown>
    return {
      ok: true,
      result: {
        structuredContent,
        content: (record.content as CallToolResult['content']) ?? [
          { type: 'text', text: JSON.stringify(structuredContent) },
        ],
        ...(record._meta ? { _meta: record._meta as Record<string, unknown> } : {}),
      },
    }
  }
  return {
    ok: true,
    result: {
      structuredContent: record,
      content: [{ type: 'text', text: JSON.stringify(record) }],
    },
  }
}
