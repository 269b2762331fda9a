/** Client sessions kept per upstream; the least recently used is closed past it. */
export const MAX_GATEWAY_SESSIONS = 1000

/**
 * Makes room for one more session: anyone may initialize, so the map must not grow without bound.
 * Anonymous sessions go first: anonymous initializes cannot evict a signed-in user.
 */
export function evictOldest<S extends { lastSeen: number; signedIn?: boolean }>(
  sessions: Map<string, S>,
  close: (id: string, session: S) => void,
): void {
  if (sessions.size < MAX_GATEWAY_SESSIONS) return
  let oldest: [string, S] | undefined
  for (const entry of sessions) {
    const rank = (s: S) => (s.signedIn ? 1 : 0)
    if (
      !oldest ||
      rank(entry[1]) < rank(oldest[1]) ||
      (rank(entry[1]) === rank(oldest[1]) && entry[1].lastSeen < oldest[1].lastSeen)
    )
      oldest = entry
  }
  if (oldest) close(oldest[0], oldest[1])
}

/** Closes sessions idle longer than `idleMs`, checked every minute at most; returns the stop function. */
export function sweepIdle<S extends { lastSeen: number }>(
  sessions: Map<string, S>,
  idleMs: number,
  close: (id: string, session: S) => void,
): () => void {
  const timer = setInterval(
    () => {
      const cutoff = Date.now() - idleMs
      for (const [id, s] of sessions) if (s.lastSeen < cutoff) close(id, s)
    },
    Math.min(idleMs, 60_000),
  )
  timer.unref()
  return () => clearInterval(timer)
}
