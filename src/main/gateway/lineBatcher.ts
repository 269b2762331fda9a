import type { Writable } from 'node:stream'

/**
 * Lines written to a child's stdin in one turn of the event loop leave in one write: one wake-up of the child
 * for many calls in flight, not one per call. `current` is the stdin of the running child: lines queued for an
 * earlier one are dropped (its requests were failed when it exited).
 */
export function createLineBatcher(current: () => Writable | null) {
  let queued: string[] = []
  let queuedFor: Writable | null = null

  function flush(): void {
    const lines = queued.length === 1 ? queued[0] : queued.join('')
    const target = queuedFor
    queued = []
    queuedFor = null
    if (target && target === current()) target.write(lines)
  }

  return (stdin: Writable, line: string): void => {
    if (queuedFor !== stdin) {
      if (queuedFor) flush()
      queuedFor = stdin
      setImmediate(flush)
    }
    queued.push(line)
  }
}
