import type { AppState, Command, IdentityChoice, WorkbenchEvents } from '../../shared/contract'
import { WorkbenchError } from '../../shared/errors'
import { IDLE_CONNECT_STATE } from '../../shared/issuerTypes'
import type { TunnelStatus } from '../../shared/events'
import type { Workbench } from '../core'
import type { ResolvedIdentity } from '../preview/callWidgetAs'
import type { CommandDeps } from './commandDeps'
import { createConfigCommands } from './configCommands'
import { createLogCommands } from './logCommands'
import { createProjectFolderCommands } from './projectFolderCommands'
import { createTokenCommands } from './tokenCommands'
import type { CommandHandlers } from './types'
import { createWidgetCommands } from './widgetCommands'

/** Optional services: each one missing is reported as an unavailable feature, never a dead command. */
export interface CommandServices {
  workbench: Workbench
  mode: 'electron' | 'browser'
  /** Extra handlers from feature modules (issuer, connect, tunnel). */
  extra?: Partial<CommandHandlers>
  tunnelStatus?: () => TunnelStatus
  connectState?: () => AppState['connect']
  /** The Connect identity's access token, if signed in. */
  connectToken?: () => Promise<string | null>
  onTunnelChange?: (listener: (s: TunnelStatus) => void) => () => void
  onConnectChange?: (listener: (s: AppState['connect']) => void) => () => void
}

const NO_TUNNEL: TunnelStatus = { state: 'stopped', url: null, error: null, errorCode: null, authtokenSet: false, authtokenSource: null, unavailable: 'The tunnel is not part of this build.', warnings: [] }

export function resolveIdentityWith(services: CommandServices) {
  return async (choice: IdentityChoice): Promise<ResolvedIdentity> => {
    switch (choice.kind) {
      case 'anonymous':
        return { token: null, label: 'anonymous' }
      case 'token':
        return { token: choice.token.trim().replace(/^Bearer\s+/i, ''), label: choice.label ?? 'pasted token' }
      case 'testUser': {
        const dev = services.workbench.devIssuer()
        if (!dev) throw new WorkbenchError('ERR_FORGE_UNSUPPORTED', 'Test users belong to the development issuer; select it on the Auth screen (auth.issuer "dev").')
        const user = dev.users().find((u) => u.subject === choice.subject)
        return { token: await dev.mintForUser(choice.subject), label: user ? `${user.name} (${user.subject})` : choice.subject }
      }
      case 'connect': {
        const token = await services.connectToken?.()
        if (!token) throw new WorkbenchError('ERR_CONNECT_FAILED', 'Not connected: run Connect first.')
        return { token, label: 'Connect identity' }
      }
    }
  }
}

/** Every command of the contract, implemented over the core and the optional services. */
export function createCommandHandlers(services: CommandServices): CommandHandlers {
  const deps: CommandDeps = { workbench: services.workbench, mode: services.mode, resolveIdentity: resolveIdentityWith(services) }
  const { workbench } = services
  const unavailable = (what: string) => async () => {
    throw new WorkbenchError('ERR_INTERNAL', `${what} is not available in this build.`)
  }
  const extra = services.extra ?? {}
  const has = (c: Command) => c in extra
  const feature = (available: boolean, reason: string) => ({ available, reason: available ? null : reason })
  const appState = async (): Promise<AppState> => ({
    status: workbench.status(),
    config: workbench.config.get(),
    widgets: workbench.widgetSummaries(),
    widgetErrors: workbench.widgets.errors(),
    tunnel: services.tunnelStatus?.() ?? NO_TUNNEL,
    connect: services.connectState?.() ?? IDLE_CONNECT_STATE,
    milestones: workbench.milestones.get(),
    features: {
      devIssuer: feature(workbench.devIssuer() !== null, 'The development issuer is not selected (Auth screen).'),
      forge: feature(has('forge:mint'), 'The token forge is not part of this build.'),
      connect: feature(has('connect:start'), 'Connect is not part of this build.'),
      tunnel: feature(has('tunnel:start'), 'The tunnel is not part of this build.'),
      issuerCheck: feature(has('issuer:check'), 'Issuer diagnostics are not part of this build.'),
    },
    mode: services.mode,
  })
  return {
    'app:getState': appState,
    ...createConfigCommands(deps),
    ...createWidgetCommands(deps),
    ...createLogCommands(deps),
    ...createProjectFolderCommands(),
    ...createTokenCommands(deps),
    'forge:mint': unavailable('The token forge'),
    'issuer:check': unavailable('Issuer diagnostics'),
    'connect:start': unavailable('Connect'),
    'connect:reset': unavailable('Connect'),
    'tunnel:start': unavailable('The tunnel'),
    'tunnel:stop': unavailable('The tunnel'),
    'tunnel:setAuthtoken': unavailable('The tunnel'),
    'tunnel:clearAuthtoken': unavailable('The tunnel'),
    'tunnel:setCustomUrl': unavailable('A custom public URL'),
    'tunnel:probePublicUrl': unavailable('A custom public URL'),
    'shell:openExternal': unavailable('Opening links from the main process'),
    ...extra,
  } as CommandHandlers
}

type Emit = <E extends keyof WorkbenchEvents>(event: E, payload: WorkbenchEvents[E]) => void

/** Forwards the core's changes to the UI as contract events; request events are batched per 50 ms. */
export function subscribeWorkbenchEvents(services: CommandServices, emit: Emit): () => void {
  const { workbench } = services
  let batch: WorkbenchEvents['log:appended'] = []
  let timer: NodeJS.Timeout | null = null
  const flush = () => {
    timer = null
    const out = batch
    batch = []
    if (out.length) emit('log:appended', out)
  }
  const offs = [
    workbench.log.subscribe((event) => {
      batch.push(event)
      timer ??= setTimeout(flush, 50)
    }),
    workbench.onStatusChange((status) => emit('status:changed', status)),
    workbench.config.onChange((config) => {
      emit('config:changed', config)
      emit('status:changed', workbench.status())
    }),
    workbench.onWidgetsChange(() => emit('widgets:changed', { widgets: workbench.widgetSummaries(), errors: workbench.widgets.errors() })),
    services.onTunnelChange?.((s) => emit('tunnel:changed', s)) ?? (() => {}),
    services.onConnectChange?.((s) => emit('connect:changed', s)) ?? (() => {}),
  ]
  return () => {
    if (timer) clearTimeout(timer)
    for (const off of offs) off()
  }
}
