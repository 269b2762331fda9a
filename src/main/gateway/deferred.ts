export interface Deferred<T> {
  promise: Promise<T>
  resolve(v: T): void
  reject(e: Error): void
}

/** A promise settled from outside; an unobserved rejection is not reported as unhandled. */
export function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void
  let reject!: (e: Error) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  promise.catch(() => {})
  return { promise, resolve, reject }
}

export function withTimeout<T>(promise: Promise<T>, ms: number, failure: () => Error): Promise<T> {
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
