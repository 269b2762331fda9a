import type { Command, CommandArgs, CommandResults, WorkbenchApi } from '../../../shared/contract'
import type { RequestEvent } from '../../../shared/events'
import {
  createEventBatcher,
  ingestAppState,
  ingestConfig,
  ingestConnect,
  ingestLogCleared,
  ingestLogSnapshot,
  ingestRequestEvents,
  ingestStatus,
  ingestTunnel,
  ingestWidgets,
} from './ingest'
import { ingestAuditProgress } from './auditActions'
import { useWorkbench } from './useWorkbench'

let api: WorkbenchApi | null = null

export class CommandFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

/** Runs a command; a failure becomes a toast (unless `quiet`) and `null`. */
export async function run<C extends Command>(
  command: C,
  args: CommandArgs<C>,
  opts: { quiet?: boolean; title?: string } = {},
): Promise<CommandResults[C] | null> {
  try {
    return await runOrThrow(command, args)
  } catch (err) {
    if (!opts.quiet) {
      const failure =
        err instanceof CommandFailure ? err : new CommandFailure('ERR_INTERNAL', String(err))
      useWorkbench.getState().pushToast({
        kind: 'error',
        title: opts.title ?? `${command} failed`,
        detail: `${failure.message} (${failure.code})`,
      })
    }
    return null
  }
}

/** Runs a command and throws {@link CommandFailure} with the main process's code. */
export async function runOrThrow<C extends Command>(
  command: C,
  args: CommandArgs<C>,
): Promise<CommandResults[C]> {
  if (!api)
    throw new CommandFailure('ERR_BRIDGE_DISCONNECTED', 'Not connected to the Workbench yet.')
  const fn = api[command] as unknown as (...a: unknown[]) => ReturnType<WorkbenchApi[C]>
  const response = await fn(...(args as unknown[]))
  if (!response.ok) throw new CommandFailure(response.error.code, response.error.message)
  return response.value as CommandResults[C]
}

/** Loads everything the UI shows; called at start and after each reconnect. */
export async function refreshAll(): Promise<void> {
  const [state, log] = await Promise.all([
    run('app:getState', [], { quiet: true }),
    run('log:snapshot', [], { quiet: true }),
  ])
  if (state) ingestAppState(state)
  if (log) ingestLogSnapshot(log)
}

const schedule = (fn: () => void): void => {
  if (
    typeof requestAnimationFrame === 'function' &&
    typeof document !== 'undefined' &&
    document.visibilityState === 'visible'
  )
    requestAnimationFrame(fn)
  else setTimeout(fn, 16)
}

/** Wires an api to the store: events feed the ingest functions, never a component effect. */
export function attachApi(next: WorkbenchApi): () => void {
  api = next
  const appendBatched = createEventBatcher<RequestEvent>(ingestRequestEvents, schedule)
  const offs = [
    next.on('log:appended', appendBatched),
    next.on('log:cleared', ingestLogCleared),
    next.on('status:changed', ingestStatus),
    next.on('config:changed', ingestConfig),
    next.on('widgets:changed', ingestWidgets),
    next.on('tunnel:changed', ingestTunnel),
    next.on('connect:changed', ingestConnect),
    next.on('audit:progress', ingestAuditProgress),
  ]
  let wasOpen = false
  const unsubscribe = useWorkbench.subscribe((s, prev) => {
    if (s.connection === 'open' && prev.connection !== 'open') {
      if (wasOpen) void refreshAll()
      wasOpen = true
    }
  })
  if (useWorkbench.getState().connection === 'open') wasOpen = true
  void refreshAll()
  return () => {
    for (const off of offs) off()
    unsubscribe()
    api = null
  }
}
