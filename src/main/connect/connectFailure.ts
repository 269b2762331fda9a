import { WorkbenchError } from '../../shared/errors'
import { resourceRefused } from './chatgptProfile'
import type { ConnectRecorder, ConnectStepId } from './connectRecorder'
import { describeConnectError } from './describeConnectError'

/**
 * Marks the step that failed (or, when a step could not reach its server, that one as the cause) and returns
 * the error to throw. `asChatGpt`: the run follows ChatGPT's profile, so its own failures are named.
 */
export function failRunning(
  recorder: ConnectRecorder,
  asChatGpt: boolean,
  err: unknown,
): WorkbenchError {
  // A step that could not reach its server failed first: it is the cause, not the step running now.
  const unreachable = recorder.state().steps.find((st) => st.status === 'failed' && st.error)
  if (unreachable) {
    const running = recorder.running()
    if (running && running !== unreachable.id)
      recorder.skip(running as ConnectStepId, `Not reached: ${unreachable.title} failed.`)
    recorder.set({ state: 'failed', error: unreachable.error, authorizationUrl: null })
    return new WorkbenchError('ERR_CONNECT_FAILED', unreachable.error as string, { cause: err })
  }
  const step = recorder.running() ?? 'authorization'
  const message = describeConnectError(step, err)
  recorder.fail(step, message)
  if (asChatGpt && resourceRefused(message)) {
    recorder.warn(
      step,
      'ChatGPT would fail here too: it always sends the RFC 8707 "resource" parameter, and this ' +
        'issuer refuses it (as Microsoft Entra does). Put an API in front that accepts the MCP URL as its resource.',
    )
  }
  recorder.set({ state: 'failed', error: message, authorizationUrl: null })
  return err instanceof WorkbenchError
    ? err
    : new WorkbenchError('ERR_CONNECT_FAILED', message, { cause: err })
}
