// A stand-in for the `electron` module, recording what the shell asks of it. Only for running the built
// Electron entry where the Electron binary cannot be installed; the real app is checked by hand with `npm start`.
import { EventEmitter } from 'node:events'

export const recorded = {
  handlers: new Map(),
  protocols: new Map(),
  windows: [],
  opened: [],
  schemes: null,
  userData: null,
  exitCode: null,
  permissionRequest: null,
}
globalThis.__fakeElectron = recorded

class App extends EventEmitter {
  isPackaged = true
  setPath(_name, value) {
    recorded.userData = value
  }
  requestSingleInstanceLock() {
    return true
  }
  whenReady() {
    return Promise.resolve()
  }
  quit() {}
  exit(code) {
    recorded.exitCode = code
  }
}
export const app = new App()
export const protocol = {
  registerSchemesAsPrivileged(schemes) {
    recorded.schemes = schemes
  },
  handle(scheme, handler) {
    recorded.protocols.set(scheme, handler)
  },
}
export const ipcMain = {
  handle(channel, handler) {
    recorded.handlers.set(channel, handler)
  },
  removeHandler(channel) {
    recorded.handlers.delete(channel)
  },
}
export const shell = { openExternal: async (url) => void recorded.opened.push(url) }
export const safeStorage = {
  encryptStringAsync: async (s) => Buffer.from(s),
  decryptStringAsync: async (b) => b.toString(),
  getSelectedStorageBackend: () => 'gnome_libsecret',
}
export const session = {
  defaultSession: {
    setPermissionRequestHandler(handler) {
      recorded.permissionRequest = handler
    },
    setPermissionCheckHandler() {},
  },
}
export class BrowserWindow extends EventEmitter {
  constructor(options) {
    super()
    this.options = options
    const contents = new EventEmitter()
    contents.sent = []
    contents.isDestroyed = () => false
    contents.send = (event) => contents.sent.push(event)
    contents.mainFrame = { parent: null, url: '' }
    contents.setWindowOpenHandler = (handler) => (contents.windowOpenHandler = handler)
    this.webContents = contents
    recorded.windows.push(this)
    app.emit('web-contents-created', {}, contents)
  }
  async loadURL(url) {
    this.url = url
    this.webContents.mainFrame.url = url
  }
  show() {}
  once(...args) {
    return super.once(...args)
  }
}
export default { app, protocol, ipcMain, shell, safeStorage, session, BrowserWindow }
