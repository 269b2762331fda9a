import { createIssuerCommands } from './commands/issuerCommands'
import { createTunnelCommands } from './commands/tunnelCommands'
import { WorkbenchError } from '../shared/errors'
import { createCommandHandlers, subscribeWorkbenchEvents, type CommandServices } from './commands'
import type { CommandHandlers } from './commands/types'
import { createConnectClient, type ConnectClient } from './connect'
import {
  CHATGPT_DOCUMENT_PREFIX,
  createChatGptClientDocument,
} from './connect/chatgptClientDocument'
import type { Workbench } from './core'
import { pinForwardedHeaders } from './issuer/forwardedHeaders'
import { createWorkbenchTunnel, type SecretStore, type TunnelController } from './tunnel'

export interface AppServicesOptions {
  workbench: Workbench
  dataDir: string
  mode: 'electron' | 'browser'
  /** Opens Connect's authorization URL for the person (system browser); in browser mode the UI opens it too. */
  openUrl: (url: string) => void | Promise<void>
  /** The authtoken store: Electron's safeStorage in the app, a 0600 file when omitted. */
  secretStore?: SecretStore
  logLine?: (line: string) => void
  /** Handlers only this shell has (Electron's `shell:openExternal`), over the feature modules' ones. */
  extra?: Partial<CommandHandlers>
}

export interface AppServices {
  services: CommandServices
  tunnel: TunnelController
  connect: ConnectClient
  close(): Promise<void>
}

/** The feature services around the core (tunnel, Connect, forge and diagnostics) as the app and `serve` both use them. */
export function createAppServices(options: AppServicesOptions): AppServices {
  const { workbench } = options
  const tunnel = createWorkbenchTunnel({
    workbench,
    dataDir: options.dataDir,
    secretStore: options.secretStore,
    logLine: options.logLine,
  })
  // The ChatGPT profile's stand-in client document, served on the Workbench's own (public) origin.
  const chatgptDocument = createChatGptClientDocument()
  const removeDocumentMount = workbench.addMount({
    prefix: CHATGPT_DOCUMENT_PREFIX,
    // It names its URLs from X-Forwarded-*: pinned to the Workbench's URL, never a caller's.
    handle: (req, res) => {
      pinForwardedHeaders(req, workbench.baseUrl())
      chatgptDocument.handle(req, res)
    },
  })
  const connect = createConnectClient({
    openUrl: options.openUrl,
    chatgpt: { document: chatgptDocument, documentBaseUrl: () => workbench.baseUrl() },
    onSignOut: () => workbench.devIssuer()?.endSessions(),
  })
  const services: CommandServices = {
    workbench,
    mode: options.mode,
    extra: {
      ...createIssuerCommands({ workbench, connect }),
      ...createTunnelCommands({ workbench, tunnel }),
      // The desktop app replaces this with its https-only opener; a browser tab opens links itself.
      'shell:openExternal': async () => {
        const message = 'In browser mode links open in a new tab, not from the server.'
        throw new WorkbenchError('ERR_IPC_FORBIDDEN', message)
      },
      ...options.extra,
    },
    tunnelStatus: () => tunnel.status(),
    onTunnelChange: (listener) => tunnel.onChange(listener),
    connectState: () => connect.state(),
    onConnectChange: (listener) => connect.onChange(listener),
    connectToken: () => connect.accessToken(),
    openUrl: options.openUrl,
  }
  return {
    services,
    tunnel,
    connect,
    async close() {
      await connect.close().catch(() => {})
      removeDocumentMount()
      await tunnel.close().catch(() => {})
    },
  }
}

/** The app around a started core: feature services, every command handler and the event feed for a UI. */
export interface WorkbenchApp extends AppServices {
  workbench: Workbench
  handlers: CommandHandlers
  /** Subscribes a UI transport (IPC or the browser bridge) to every workbench event. */
  events(emit: Parameters<typeof subscribeWorkbenchEvents>[1]): () => void
  /** Closes the feature services, then the core. */
  close(): Promise<void>
}

/** One wiring for the Electron entry, `serve` and the test harnesses. */
export function createWorkbenchApp(options: AppServicesOptions): WorkbenchApp {
  const app = createAppServices(options)
  return {
    ...app,
    workbench: options.workbench,
    handlers: createCommandHandlers(app.services),
    events: (emit) => subscribeWorkbenchEvents(app.services, emit),
    async close() {
      await app.close()
      await options.workbench.close()
    },
  }
}
