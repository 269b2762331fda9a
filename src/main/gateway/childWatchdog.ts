/**
 * Source of the small Node program that stands between the Workbench and a stdio upstream. It starts the
 * upstream in its own process group on the same stdin/stdout/stderr pipes (nothing is copied) and holds fd 3,
 * a socket to the Workbench: when the Workbench exits or is killed the socket closes and the whole group is
 * terminated, so no upstream outlives it. It reports the upstream's pid on fd 3 and exits with its status.
 */
export const CHILD_WATCHDOG_SOURCE = String.raw`
const { spawn } = require('node:child_process')
const { Socket } = require('node:net')
const [command, ...args] = process.argv.slice(1)
if (process.env.WORKBENCH_WATCHDOG_STRIP === '1') {
  delete process.env.ELECTRON_RUN_AS_NODE
  delete process.env.WORKBENCH_WATCHDOG_STRIP
}
const lifeline = new Socket({ fd: 3, readable: true, writable: true })
let child
let stopping = false
function stop(signal) {
  if (stopping || !child || child.exitCode !== null || child.signalCode !== null) return
  stopping = true
  try { process.kill(-child.pid, signal) } catch {}
  setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL') } catch {} ; process.exit(137) }, 2000).unref()
}
try {
  child = spawn(command, args, { stdio: 'inherit', detached: true })
} catch (err) {
  process.stderr.write('cannot start ' + command + ': ' + err.message + '\n')
  process.exit(127)
}
child.on('error', (err) => {
  process.stderr.write('cannot start ' + command + ': ' + err.message + '\n')
  process.exit(127)
})
child.on('spawn', () => lifeline.write(JSON.stringify({ pid: child.pid }) + '\n'))
child.on('exit', (code, signal) => {
  try { process.kill(-child.pid, 'SIGKILL') } catch {}
  if (code !== null) process.exit(code)
  // Die of the same signal, so the Workbench reports how the upstream ended.
  process.removeAllListeners(signal)
  process.kill(process.pid, signal)
  setTimeout(() => process.exit(128), 100)
})
lifeline.on('data', () => {})
lifeline.on('end', () => stop('SIGTERM'))
lifeline.on('close', () => stop('SIGTERM'))
lifeline.on('error', () => stop('SIGTERM'))
process.on('SIGTERM', () => stop('SIGTERM'))
process.on('SIGINT', () => stop('SIGTERM'))
process.on('SIGHUP', () => stop('SIGTERM'))
`
