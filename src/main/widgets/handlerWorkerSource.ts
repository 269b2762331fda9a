/**
 * The worker thread a project handler runs in, as CommonJS source for `new Worker(source, { eval: true })`
 * (a string survives every bundling of the main process). It imports the handler module once, then answers
 * `call` messages; `abort` aborts the call's signal. Errors come back as { name, message, stack }.
 */
export const HANDLER_WORKER_SOURCE = String.raw`
const { parentPort, workerData } = require('node:worker_threads')
const describe = (e) => e instanceof Error
  ? { name: e.name, message: e.message, stack: String(e.stack || '') }
  : { name: 'Error', message: String(e), stack: '' }
process.on('unhandledRejection', () => {})
let handler = null
const ready = import(workerData.url).then((mod) => {
  const fn = mod.default ?? mod.handle
  if (typeof fn !== 'function') {
    throw new TypeError('the handler module must export a function as default (or as "handle")')
  }
  handler = fn
})
ready.catch(() => {})
const calls = new Map()
parentPort.on('message', async (msg) => {
  if (msg.type === 'abort') return void calls.get(msg.id)?.abort(new Error(msg.reason))
  if (msg.type === 'probe') {
    try {
      await ready
      parentPort.postMessage({ type: 'ready' })
    } catch (e) {
      parentPort.postMessage({ type: 'load-error', error: describe(e) })
    }
    return
  }
  if (msg.type !== 'call') return
  const controller = new AbortController()
  calls.set(msg.id, controller)
  const scopes = new Set(msg.user.scopes)
  const user = { ...msg.user, hasScope: (scope) => scopes.has(scope) }
  try {
    await ready
    const value = await handler(msg.input, { user, signal: controller.signal, widget: msg.widget })
    try {
      parentPort.postMessage({ type: 'result', id: msg.id, value })
    } catch (e) {
      const message = 'the handler returned a value that cannot be sent back (' + e.message + ')'
      parentPort.postMessage({ type: 'error', id: msg.id, error: { name: 'TypeError', message, stack: '' } })
    }
  } catch (e) {
    parentPort.postMessage({ type: 'error', id: msg.id, error: describe(e) })
  } finally {
    calls.delete(msg.id)
  }
})
`
