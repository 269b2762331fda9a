import type { WorkbenchEvent, WorkbenchEvents } from '../../shared/contract'

/** Receives every contract event in the main process. */
export type EmitWorkbenchEvent = <E extends WorkbenchEvent>(
  event: E,
  payload: WorkbenchEvents[E],
) => void

/** Subscribes to the contract events (the lead's `subscribeWorkbenchEvents` bound to its deps); returns the unsubscribe. */
export type WorkbenchEventSource = (emit: EmitWorkbenchEvent) => () => void
