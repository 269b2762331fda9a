import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import type { ForwardFailure, ForwardRequest, ForwardedTunnel, Forwarder } from './forwarder'

export interface NgrokForwarderOptions {
  /** ngrok ingress to dial instead of ngrok's (`host:port`); tests point it at local peers. Default: ngrok's. */
  serverAddr?: string
  /** PEM of the CA that signs `serverAddr` (a custom ingress or a proxy that intercepts TLS). */
  sessionCaCert?: string
  /** How long `close()` waits for ngrok to close the listener before dropping the worker, in ms. Default 3000. */
  closeTimeoutMs?: number
}

type WorkerMessage =
  | { type: 'online'; url: string }
  | { type: 'failed'; failure: ForwardFailure }
  | { type: 'status'; status: 'connected' | 'closed' }
  | { type: 'log'; line: string }
  | { type: 'closed' }

// Runs in a worker thread: a pending native forward() holds the event loop open forever (a silent peer),
// and neither disconnect() nor kill() releases it. Terminating the worker does.
const WORKER_SOURCE = `;(() => {
const { parentPort, workerData } = require('node:worker_threads')
const post = (m) => parentPort.postMessage(m)
const scrub = (s) => workerData.config.authtoken ? String(s).split(workerData.config.authtoken).join('[authtoken]') : String(s)
let tlsPeerAnswered = false
let listener = null
let ngrok
try { ngrok = require(workerData.ngrokPath) } catch (err) {
  post({ type: 'failed', failure: { message: 'ngrok native library failed to load: ' + scrub(err && err.message), errorCode: null } })
  return
}
parentPort.on('message', async (m) => {
  if (m.type !== 'close') return
  try { if (listener) await listener.close() } catch {}
  post({ type: 'closed' })
})
// DEBUG while connecting tells a TLS server that answered (a proxy) from a cut connection; WARN once online.
const onLog = (level, target, message) => {
  if (/Using ciphersuite|ALPN protocol/.test(message)) tlsPeerAnswered = true
  if (level === 'ERROR' || level === 'WARN') post({ type: 'log', line: scrub(level + ' ' + target + ' - ' + message) })
}
ngrok.loggingCallback(onLog, 'DEBUG')
ngrok.forward({
  ...workerData.config,
  onStatusChange: (status) => post({ type: 'status', status: status === 'closed' ? 'closed' : 'connected' }),
}).then((l) => {
  listener = l
  ngrok.loggingCallback(onLog, 'WARN')
  post({ type: 'online', url: l.url() })
}, (err) => {
  post({ type: 'failed', failure: { message: scrub(err && err.message), errorCode: (err && err.errorCode) || null, tlsPeerAnswered } })
})
})()`

/** The real ngrok, one worker thread per tunnel so that a hung connect can always be torn down. */
export function createNgrokForwarder(options: NgrokForwarderOptions = {}): Forwarder {
  const closeTimeoutMs = options.closeTimeoutMs ?? 3000
  return {
    forward(request, signal) {
      const ngrokPath = createRequire(import.meta.url).resolve('@ngrok/ngrok')
      const config: Record<string, unknown> = {
        addr: request.addr,
        authtoken: request.authtoken,
        proto: 'http',
      }
      if (request.domain) config.domain = request.domain
      if (options.serverAddr) config.server_addr = options.serverAddr
      if (options.sessionCaCert) config.session_ca_cert = options.sessionCaCert
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { ngrokPath, config },
        stdout: true,
        stderr: true,
      })
      worker.stdout.resume()
      worker.stderr.resume()
      return runWorker(worker, request, signal, closeTimeoutMs)
    },
  }
}

function runWorker(
  worker: Worker,
  request: ForwardRequest,
  signal: AbortSignal,
  closeTimeoutMs: number,
): Promise<ForwardedTunnel> {
  return new Promise((resolve, reject) => {
    let online = false
    let closing = false
    let closed: (() => void) | null = null
    const fail = (failure: ForwardFailure) => Object.assign(new Error(failure.message), failure)
    const terminate = () => void worker.terminate()
    const onAbort = () => {
      terminate()
      reject(fail({ message: String(signal.reason ?? 'aborted'), errorCode: null }))
    }
    if (signal.aborted) return onAbort()
    signal.addEventListener('abort', onAbort, { once: true })

    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'log') request.onLog?.(m.line)
      else if (m.type === 'status') request.onStatusChange(m.status)
      else if (m.type === 'closed') closed?.()
      else if (m.type === 'failed') {
        signal.removeEventListener('abort', onAbort)
        terminate()
        reject(fail(m.failure))
      } else if (m.type === 'online') {
        online = true
        signal.removeEventListener('abort', onAbort)
        resolve({ url: m.url, close })
      }
    })
    worker.on('error', (err) => {
      signal.removeEventListener('abort', onAbort)
      if (!online) reject(fail({ message: err.message, errorCode: null }))
    })
    worker.on('exit', () => {
      closed?.()
      if (online && !closing)
        request.onEnded({ message: 'The ngrok session ended unexpectedly.', errorCode: null })
    })

    async function close(): Promise<void> {
      if (closing) return
      closing = true
      await new Promise<void>((done) => {
        const timer = setTimeout(done, closeTimeoutMs)
        closed = () => {
          clearTimeout(timer)
          done()
        }
        worker.postMessage({ type: 'close' })
      })
      await worker.terminate()
    }
  })
}
