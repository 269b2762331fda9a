import type { Workbench } from '../core'

/** Who hears that a workbench's log was cleared: every UI subscribed to it, so other windows follow. */
const listeners = new WeakMap<Workbench, Set<() => void>>()

export function onLogCleared(workbench: Workbench, listener: () => void): () => void {
  const set = listeners.get(workbench) ?? new Set()
  listeners.set(workbench, set)
  set.add(listener)
  return () => void set.delete(listener)
}

export function clearLog(workbench: Workbench): void {
  workbench.log.clear()
  for (const listener of listeners.get(workbench) ?? []) listener()
}
