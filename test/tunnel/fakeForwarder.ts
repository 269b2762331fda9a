import type { ForwardRequest, Forwarder } from '../../src/main/tunnel/forwarder'

/** A Forwarder the test drives: each forward() waits for `online()`/`reject()` unless `auto` answers. */
export interface FakeForwarder extends Forwarder {
  calls: ForwardRequest[]
  closed: number
  /** What the next forward() does by itself. */
  auto: { url: string } | { error: { message: string; errorCode?: string } } | 'hang'
  last(): ForwardRequest
}

export function createFakeForwarder(
  auto: FakeForwarder['auto'] = { url: 'https://abc123.ngrok-free.app' },
): FakeForwarder {
  const fake: FakeForwarder = {
    calls: [],
    closed: 0,
    auto,
    last: () => fake.calls[fake.calls.length - 1],
    forward(request, signal) {
      fake.calls.push(request)
      const behaviour = fake.auto
      return new Promise((resolve, reject) => {
        signal.addEventListener(
          'abort',
          () => reject(Object.assign(new Error(String(signal.reason)), { errorCode: null })),
          { once: true },
        )
        if (behaviour === 'hang') return
        if ('url' in behaviour)
          resolve({ url: behaviour.url, close: async () => void fake.closed++ })
        else
          reject(
            Object.assign(new Error(behaviour.error.message), {
              errorCode: behaviour.error.errorCode,
            }),
          )
      })
    },
  }
  return fake
}
