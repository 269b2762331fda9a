import type { CallToolResult } from '@modelcontextprotocol/server'
import {
  cleanStack,
  errorInfo,
  locateInFolder,
  type HandlerErrorInfo,
} from '../widgets/handlerErrors'
import { runInWorker, type WorkerCall } from '../widgets/handlerWorkers'
import type { UserContext, WidgetDefinition } from '../widgets/widgetDefinition'

export type HandlerOutcome =
  | { ok: true; result: CallToolResult }
  /** `stack`: the handler's stack trace, for the request detail (never sent to the caller). */
  | { ok: false; reason: string; message: string; stack?: string }

export interface RunHandlerOptions {
  timeoutMs: number
  signal?: AbortSignal
}

/**
 * Runs a widget handler with a deadline; a throw, a hang or a bad return value becomes a tool
 * error, never a crash. Project handlers run in a worker thread that is terminated at the deadline.
 */
export async function runWidgetHandler(
  widget: WidgetDefinition,
  input: Record<string, unknown>,
  user: UserContext,
  options: RunHandlerOptions,
): Promise<HandlerOutcome> {
  if (widget.isolated) {
    // `hasScope` is a function and cannot cross to the worker; the worker rebuilds it.
    const { hasScope: _hasScope, ...data } = user
    return runIsolated(widget, { input, user: data, widget: widgetInfo(widget) }, options)
  }
  const controller = new AbortController()
  const abort = () => controller.abort(options.signal?.reason)
  options.signal?.addEventListener('abort', abort, { once: true })
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), options.timeoutMs)
  })
  try {
    const context = {
      user,
      signal: controller.signal,
      widget: widgetInfo(widget),
    }
    const value = await Promise.race([
      Promise.resolve().then(() => widget.handler(input, context)),
      deadline,
    ])
    if (value === 'timeout') {
      controller.abort(new Error('timeout'))
      return timedOut(widget, options.timeoutMs, false)
    }
    return toResult(widget, value)
  } catch (err) {
    return threw(widget, errorInfo(err))
  } finally {
    clearTimeout(timer)
    options.signal?.removeEventListener('abort', abort)
  }
}

function widgetInfo(widget: WidgetDefinition): { id: string; title: string } {
  return { id: widget.id, title: widget.manifest.title }
}

async function runIsolated(
  widget: WidgetDefinition,
  call: WorkerCall,
  options: RunHandlerOptions,
): Promise<HandlerOutcome> {
  const outcome = await runInWorker(
    widget.isolated as NonNullable<WidgetDefinition['isolated']>,
    call,
    options,
  )
  if (outcome.kind === 'result') {
    try {
      return toResult(widget, outcome.value)
    } catch (err) {
      return threw(widget, { name: 'Error', message: (err as Error).message, stack: '' })
    }
  }
  if (outcome.kind === 'busy') {
    const message = `The ${widget.id} widget is busy (too many calls at once): try again shortly.`
    return { ok: false, reason: 'handler busy: too many calls at once', message }
  }
  if (outcome.kind === 'timeout') return timedOut(widget, options.timeoutMs, true)
  if (outcome.kind === 'crashed') {
    const message = `The ${widget.id} widget's handler crashed: ${outcome.error.message}`
    return {
      ok: false,
      reason: `handler crashed: ${outcome.error.message}`,
      message,
      stack: outcome.error.stack || undefined,
    }
  }
  return threw(widget, outcome.error)
}

function timedOut(widget: WidgetDefinition, timeoutMs: number, stopped: boolean): HandlerOutcome {
  const seconds = timeoutMs / 1000
  const reason = `handler timed out after ${seconds}s${stopped ? ' and was stopped' : ''}`
  return {
    ok: false,
    reason,
    message: `The ${widget.id} widget did not answer within ${seconds} s.`,
  }
}

/** A thrown error, with where it was thrown (`handler.js:12`) when the stack says. */
function threw(widget: WidgetDefinition, error: HandlerErrorInfo): HandlerOutcome {
  const where = locateInFolder(error.stack, widget.source)
  const text = `${error.message}${where ? ` (${where})` : ''}`
  return {
    ok: false,
    reason: `handler threw: ${text}`,
    message: `The ${widget.id} widget failed: ${text}`,
    stack: cleanStack(error.stack) || undefined,
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
