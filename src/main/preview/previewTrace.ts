import { AsyncLocalStorage } from 'node:async_hooks'
import type { Trace } from '../log/requestTraces'

const current = new AsyncLocalStorage<string>()

/** Runs `call` so that every request it sends carries `trace`'s id (see previewSessions' fetch). */
export function sendingTrace<T>(trace: Trace, call: () => Promise<T>): Promise<T> {
  return current.run(trace.id, call)
}

/** The trace id of the Preview call on whose behalf a request is being sent, if any. */
export function currentTraceId(): string | undefined {
  return current.getStore()
}
