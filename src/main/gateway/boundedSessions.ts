/** Client sessions kept at most; past it, the least recently used is closed (anonymous ones first). */
export const MAX_GATEWAY_SESSIONS = 1000
/** Sessions one source may hold (a tunnel's callers are told apart by X-Forwarded-For), as on the local server. */
export const MAX_SESSIONS_PER_SOURCE = 200
/** Closed sessions whose reason is kept, to tell their client why on its next request. */
const REMEMBERED = 1000

export interface SessionLimits {
  /** Sessions kept at most. Default 1000. */
  maxSessions?: number
  /** Sessions one source address may hold. Default 200. */
  maxPerSource?: number
}

export interface BoundedSession {
  lastSeen: number
  /** Opened with a verified token: closed after anonymous sessions. */
  signedIn?: boolean
  /** Who opened it: the peer address, or the tunnel's caller (see requestSource). */
  source?: string
}

/** The session to close among `candidates`: the stalest anonymous one, else the stalest. */
export function sessionToClose<S extends BoundedSession>(
  candidates: Iterable<[string, S]>,
): [string, S] | null {
  let oldest: [string, S] | null = null
  const rank = (s: S) => (s.signedIn ? 1 : 0)
  for (const entry of candidates) {
    if (
      !oldest ||
      rank(entry[1]) < rank(oldest[1]) ||
      (rank(entry[1]) === rank(oldest[1]) && entry[1].lastSeen < oldest[1].lastSeen)
    )
      oldest = entry
  }
  return oldest
}

/** The sessions of the source holding the most anonymous sessions (else the most sessions). */
function fromLargestSource<S extends BoundedSession>(sessions: Map<string, S>): [string, S][] {
  const bySource = new Map<string | undefined, [string, S][]>()
  const anonymous = [...sessions].filter(([, s]) => !s.signedIn)
  for (const entry of anonymous.length ? anonymous : sessions) {
    const list = bySource.get(entry[1].source) ?? []
    list.push(entry)
    bySource.set(entry[1].source, list)
  }
  let largest: [string, S][] = []
  for (const list of bySource.values()) if (list.length > largest.length) largest = list
  return largest
}

/** The gateway's session bounds: a cap per source, then an overall one; closed sessions say why. */
export interface SessionBounds {
  /** Makes room for a session `source` is opening, closing the victims with `close`. */
  makeRoom<S extends BoundedSession>(
    sessions: Map<string, S>,
    source: string,
    close: (id: string, session: S) => void,
  ): void
  /** Why the session `id` was closed to make room, if it was (recently). */
  whyClosed(id: string): string | undefined
}

export function createSessionBounds(limits: SessionLimits = {}): SessionBounds {
  const maxSessions = limits.maxSessions ?? MAX_GATEWAY_SESSIONS
  const maxPerSource = limits.maxPerSource ?? MAX_SESSIONS_PER_SOURCE
  const closedWhy = new Map<string, string>()
  const remember = (id: string, why: string) => {
    closedWhy.set(id, why)
    if (closedWhy.size > REMEMBERED) closedWhy.delete(closedWhy.keys().next().value as string)
  }
  return {
    makeRoom(sessions, source, close) {
      const fromSource = [...sessions].filter(([, s]) => s.source === source)
      // A source at its cap gives up one of its own sessions: it never evicts another source's.
      const own = fromSource.length >= maxPerSource ? sessionToClose(fromSource) : null
      if (own) {
        remember(own[0], `its source (${source}) opened more than ${maxPerSource} sessions`)
        close(own[0], own[1])
      }
      if (sessions.size < maxSessions) return
      // Full: the source holding the most sessions gives one up, so many sources share fairly.
      const largest = sessionToClose(fromLargestSource(sessions))
      if (!largest) return
      remember(largest[0], `the gateway holds at most ${maxSessions} sessions`)
      close(largest[0], largest[1])
    },
    whyClosed: (id) => closedWhy.get(id),
  }
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
