import { app, BrowserWindow, safeStorage, session } from 'electron'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createWorkbenchApp } from './appServices'
import { WorkbenchError } from '../shared/errors'
import { resolveDataDir } from './config/dataDir'
import { createWorkbench, type Workbench } from './core'
import {
  denyPermissions,
  hardenContents,
  openExternalHttps,
  openSignInUrl,
} from './ipc/hardenContents'
import {
  APP_ORIGIN,
  handleAppProtocol,
  originOf,
  registerAppScheme,
} from './ipc/registerAppProtocol'
import { registerIpc } from './ipc/registerIpc'
import { createSafeStorageSecretStore } from './ipc/safeStorageSecretStore'

const here = fileURLToPath(new URL('.', import.meta.url))
// electron-vite dev serves the renderer over http; packaged and `npm start` use app://workbench/.
const devUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined
const appOrigin = devUrl ? originOf(devUrl) : APP_ORIGIN
const isAppUrl = (url: string): boolean => originOf(url) === appOrigin

registerAppScheme()
if (!app.requestSingleInstanceLock()) app.quit()
else void main()

async function main(): Promise<void> {
  const dataDir = resolveDataDir()
  app.setPath('userData', dataDir)
  app.on('web-contents-created', (_event, contents) => hardenContents(contents))
  await app.whenReady()

  const logLine = (line: string): void => void process.stderr.write(`${line}\n`)
  const workbench: Workbench = await createWorkbench({
    configPath: join(dataDir, 'config.json'),
    dataDir,
    logLine,
  })
  await workbench.start()
  const features = createWorkbenchApp({
    workbench,
    dataDir,
    mode: 'electron',
    openUrl: openSignInUrl,
    secretStore: createSafeStorageSecretStore({ safeStorage, dir: dataDir }),
    logLine,
    extra: {
      'shell:openExternal': async (url) => {
        if (!openExternalHttps(url))
          throw new WorkbenchError('ERR_IPC_INVALID', 'Only https links open outside the app')
        return null
      },
    },
  })

  denyPermissions(session.defaultSession, isAppUrl)
  handleAppProtocol(join(here, '../renderer'))
  let window: BrowserWindow | null = null
  const unregister = registerIpc({
    handlers: features.handlers,
    events: features.events,
    isAppUrl,
    target: () => window?.webContents ?? null,
  })

  const open = (): void => {
    window = new BrowserWindow({
      width: 1280,
      height: 820,
      minWidth: 900,
      minHeight: 600,
      show: false,
      title: 'MCP Auth Workbench',
      webPreferences: {
        preload: join(here, '../preload/index.cjs'),
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webSecurity: true,
        webviewTag: false,
        spellcheck: false,
      },
    })
    window.once('ready-to-show', () => window?.show())
    window.on('closed', () => (window = null))
    void window.loadURL(devUrl ?? `${APP_ORIGIN}/index.html`)
  }
  open()

  app.on('second-instance', () => {
    if (!window) return open()
    if (window.isMinimized()) window.restore()
    window.focus()
  })
  app.on('activate', () => window ?? open())
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  let closing = false
  app.on('before-quit', (event) => {
    if (closing) return
    closing = true
    event.preventDefault()
    unregister()
    void features.close().finally(() => app.exit(0))
  })
}
