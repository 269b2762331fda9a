import { setFlagsFromString } from 'node:v8'

/** A body this large leaves megabytes of garbage behind (the text, the parsed copy, the buffers). */
const LARGE_BODY_BYTES = 256 * 1024
/** Default heap growth returns after this long without a large body. */
const CALM_MS = 30_000

let smallSteps = false
let calm: NodeJS.Timeout | undefined

/**
 * While large bodies arrive, V8 grows the heap in small steps, so it collects sooner. Anonymous
 * callers may send 1 MiB bodies, and V8's default growth lets their garbage pile up before a major
 * GC (`npm run bench`: 400 such requests raised the server's RSS by up to +190 MiB with the
 * default, +85 MiB in small steps). Small steps cost every ordinary request more GC time (about a
 * quarter of its CPU in `npm run bench`), so the default returns once large bodies stop. The request
 * log itself is bounded by `log.maxBytes`. The flag is process-wide.
 */
export function noteBodySize(bytes: number): void {
  if (bytes < LARGE_BODY_BYTES) return
  if (!smallSteps) {
    setFlagsFromString('--heap-growing-percent=20')
    smallSteps = true
  }
  clearTimeout(calm)
  calm = setTimeout(() => {
    // 0 is V8's default: its own growth factor.
    setFlagsFromString('--heap-growing-percent=0')
    smallSteps = false
  }, CALM_MS)
  calm.unref()
}
