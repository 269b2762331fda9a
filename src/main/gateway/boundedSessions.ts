/** Client sessions kept per upstream; the least recently used is closed past it. */
export const MAX_GATEWAY_SESSIONS = 1000

/** Makes room for one more session: anyone may initialize, so the map must not grow without bound. */
export function evictOldest<S extends { lastSeen: number }>(
  sessions: Map<string, S>,
  close: (id: string, session: S) => void,
): void {
  if (sessions.size < MAX_GATEWAY_SESSIONS) return
  let oldest: [string, S] | undefined
  for (const entry of sessions)
    if (!oldest || entry[1].lastSeen < oldest[1].lastSeen) oldest = entry
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
