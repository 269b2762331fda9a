export interface Deferred<T> {
  promise: Promise<T>
  resolve(v: T): void
  reject(e: Error): void
  /** Resolved or rejected already. */
  readonly settled: boolean
}

/** A promise settled from outside; an unobserved rejection is not reported as unhandled. */
export function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void
  let reject!: (e: Error) => void
  let settled = false
  const promise = new Promise<T>((res, rej) => {
    resolve = (v) => {
      settled = true
      res(v)
    }
    reject = (e) => {
      settled = true
      rej(e)
    }
  })
  promise.catch(() => {})
  return {
    promise,
    resolve,
    reject,
    get settled() {
      return settled
    },
  }
}

/** `source`, failing with `failure()` past `ms`; a deferred already settled is returned as is (no timer). */
export function withTimeout<T>(
  source: Promise<T> | Deferred<T>,
  ms: number,
  failure: () => Error,
): Promise<T> {
  if (!(source instanceof Promise) && source.settled) return source.promise
  const promise = source instanceof Promise ? source : source.promise
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(failure()), ms)
    promise.then(
      (v) => {
        clearTimeout(timer)
        resolve(v)
      },
      (e: unknown) => {
        clearTimeout(timer)
        reject(e as Error)
      },
    )
  })
}
