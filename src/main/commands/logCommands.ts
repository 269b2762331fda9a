import { WorkbenchError } from '../../shared/errors'
import { redactTokensInText } from '../log/redact'
import { identityKey } from '../preview/previewSessions'
import { callWidgetAs } from '../preview/callWidgetAs'
import type { CommandDeps } from './commandDeps'
import { clearLog } from './logCleared'
import type { CommandHandlers } from './types'

type LogCommands = Pick<CommandHandlers, 'log:snapshot' | 'log:clear' | 'log:export' | 'log:replay'>

export function createLogCommands({ workbench, resolveIdentity }: CommandDeps): LogCommands {
  return {
    'log:snapshot': async () => workbench.log.snapshot(),
    'log:clear': async () => {
      clearLog(workbench)
      return null
    },
    'log:export': async () => {
      const stamp = new Date().toISOString().replace(/[:.]/g, '-')
      // Events hold no raw tokens; a token pasted into tool arguments is caught here.
      const json = redactTokensInText(
        JSON.stringify(
          { exportedAt: new Date().toISOString(), events: workbench.log.snapshot() },
          null,
          2,
        ),
      )
      return { fileName: `workbench-requests-${stamp}.json`, json }
    },
    'log:replay': async (eventId, identity) => {
      const event = workbench.log.find(eventId)
      if (!event)
        throw new WorkbenchError(
          'ERR_WIDGET_NOT_FOUND',
          `Request #${eventId} is no longer in the log.`,
        )
      const body = event.requestBody as {
        method?: string
        params?: { name?: string; arguments?: Record<string, unknown> }
      } | null
      if (body?.method !== 'tools/call' || !body.params?.name)
        throw new WorkbenchError(
          'ERR_WIDGET_NOT_FOUND',
          'Only tools/call requests can be replayed.',
        )
      const who = { ...(await resolveIdentity(identity)), key: identityKey(identity) }
      return callWidgetAs(workbench, body.params.name, body.params.arguments ?? {}, who)
    },
  }
}
