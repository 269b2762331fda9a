import { ipcMain, type IpcMainInvokeEvent, type WebContents, type WebFrameMain } from 'electron'
import { commandNames, type Command, type CommandResponse } from '../../shared/contract'
import { dispatchCommand } from '../bridge/dispatchCommand'
import type { WorkbenchEventSource } from '../bridge/eventSource'
import type { CommandHandlers } from '../commands/types'

export interface RegisterIpcOptions {
  handlers: CommandHandlers
  events: WorkbenchEventSource
  /** True for a URL of the app's own pages (`app://workbench/…`, or the dev server in development). */
  isAppUrl: (url: string) => boolean
  /** The window whose page receives events; null while there is none. */
  target: () => WebContents | null
}

/** Only the app's own top-level page may call: not an iframe (the widget preview), not a page navigated elsewhere. */
export function isAppFrame(
  frame: WebFrameMain | null,
  isAppUrl: (url: string) => boolean,
): boolean {
  return frame !== null && frame.parent === null && isAppUrl(frame.url)
}

const forbidden = (): CommandResponse<Command> => ({
  ok: false,
  error: { code: 'ERR_IPC_FORBIDDEN', message: 'IPC from a frame that is not the app' },
})

/** One `ipcMain.handle` per command of the contract, and the contract's events forwarded to the app window. */
export function registerIpc(options: RegisterIpcOptions): () => void {
  for (const command of commandNames) {
    ipcMain.handle(command, (event: IpcMainInvokeEvent, ...args: unknown[]) => {
      if (event.sender !== options.target() || !isAppFrame(event.senderFrame, options.isAppUrl))
        return forbidden()
      return dispatchCommand(options.handlers, command, args)
    })
  }
  const unsubscribe = options.events((event, payload) => {
    const contents = options.target()
    if (contents && !contents.isDestroyed() && isAppFrame(contents.mainFrame, options.isAppUrl))
      contents.send(event, payload)
  })
  return () => {
    unsubscribe()
    for (const command of commandNames) ipcMain.removeHandler(command)
  }
}
