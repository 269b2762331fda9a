import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import {
  commandNames,
  eventNames,
  type WorkbenchApi,
  type WorkbenchEvent,
} from '../shared/contract'

// One method per command of the contract, never a generic invoke/send: the renderer cannot reach other channels.
const commands = Object.fromEntries(
  commandNames.map((c) => [c, (...args: unknown[]) => ipcRenderer.invoke(c, ...args)]),
)

const api = {
  ...commands,
  on(event: WorkbenchEvent, listener: (payload: unknown) => void): () => void {
    if (!eventNames.includes(event)) throw new TypeError(`Unknown event: ${String(event)}`)
    // The IpcRendererEvent carries `sender`; the page gets the payload only.
    const wrapped = (_event: IpcRendererEvent, payload: unknown): void => listener(payload)
    ipcRenderer.on(event, wrapped)
    return () => void ipcRenderer.removeListener(event, wrapped)
  },
} as unknown as WorkbenchApi

contextBridge.exposeInMainWorld('workbench', api)
