/** Deadlines of requests in flight, checked by one sweep timer (not a timer per request). */
export interface DeadlineSweep {
  /** Calls `expire` once `ms` have passed, unless the returned function is called first. */
  add(ms: number, expire: () => void): () => void
  stop(): void
}

/** The sweep runs every `granularityMs` while something is in flight; a deadline may fire that much late. */
export function createDeadlineSweep(granularityMs: () => number): DeadlineSweep {
  const due = new Map<() => void, number>()
  let timer: NodeJS.Timeout | null = null
  const sweep = () => {
    if (!due.size) return stop()
    const now = performance.now()
    for (const [expire, at] of due)
      if (at <= now) {
        due.delete(expire)
        expire()
      }
  }
  function stop(): void {
    if (timer) clearInterval(timer)
    timer = null
  }
  return {
    add(ms, expire) {
      // A function of its own, so the same callback added twice is two entries.
      const entry = () => expire()
      due.set(entry, performance.now() + ms)
      if (!timer) {
        timer = setInterval(sweep, Math.max(10, granularityMs()))
        timer.unref()
      }
      return () => void due.delete(entry)
    },
    stop,
  }
}
