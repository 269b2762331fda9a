import { useEffect, useState } from 'react'

/** Wall-clock seconds, ticking once a second while mounted (for countdowns). */
export function useNowSeconds(active: boolean): number {
  const [now, setNow] = useState(() => Date.now() / 1000)
  useEffect(() => {
    if (!active) return
    const timer = setInterval(() => setNow(Date.now() / 1000), 1000)
    return () => clearInterval(timer)
  }, [active])
  return now
}
