import type { AppState, IdentityChoice, WorkbenchEvents } from '../../shared/contract'
import { WorkbenchError } from '../../shared/errors'
import type { ServerStatus, TunnelStatus } from '../../shared/events'
import type { Workbench } from '../core'
import type { ResolvedIdentity } from '../preview/callWidgetAs'
import { createAuditRunner, type AuditRunner } from './auditCommands'
import type { CommandDeps } from './commandDeps'
import { createConfigCommands } from './configCommands'
import { onLogCleared } from './logCleared'
import { createLogCommands } from './logCommands'
import { createProjectFolderCommands } from './projectFolderCommands'
import { createTokenCommands } from './tokenCommands'
import type { TunnelCommand } from './tunnelCommands'
import type { CommandHandlers } from './types'
import { createWidgetCommands } from './widgetCommands'
import { createGatewayCommands } from './gatewayCommands'

/**
 * Commands the feature modules implement (issuer, Connect, tunnel, the shell); the core implements
 * the rest.
 */
export type FeatureCommand =
  | 'forge:mint'
  | 'issuer:check'
  | 'connect:start'
  | 'connect:reset'
  | TunnelCommand
  | 'shell:openExternal'
export type FeatureHandlers = Pick<CommandHandlers, FeatureCommand>

/** The core and the feature services around it, as `createAppServices` builds them. */
export interface CommandServices {
  workbench: Workbench
  mode: 'electron' | 'browser'
  /** The feature modules' command handlers. */
  extra: FeatureHandlers
  tunnelStatus: () => TunnelStatus
  connectState: () => AppState['connect']
  /** The Connect identity's access token, if signed in. */
  connectToken: () => Promise<string | null>
  onTunnelChange: (listener: (s: TunnelStatus) => void) => () => void
  onConnectChange: (listener: (s: AppState['connect']) => void) => () => void
  /** Opens a sign-in page for the person (the audit's sign-in through a server's own issuer). */
  openUrl?: (url: string) => void | Promise<void>
}

export function resolveIdentityWith(services: CommandServices) {
  return async (choice: IdentityChoice): Promise<ResolvedIdentity> => {
    switch (choice.kind) {
      case 'anonymous':
        return { token: null, label: 'anonymous' }
      case 'token':
        return {
          token: choice.token.trim().replace(/^Bearer\s+/i, ''),
          label: choice.label ?? 'pasted token',
        }
      case 'testUser': {
        const dev = services.workbench.devIssuer()
        if (!dev)
          throw new WorkbenchError(
            'ERR_FORGE_UNSUPPORTED',
            'Test users belong to the development issuer; select it on the Auth screen (auth.issuer "dev").',
          )
        const user = dev.users().find((u) => u.subject === choice.subject)
        return {
          token: await dev.mintForUser(choice.subject),
          label: user ? `${user.name} (${user.subject})` : choice.subject,
        }
      }
      case 'connect': {
        const token = await services.connectToken()
        if (!token)
          throw new WorkbenchError('ERR_CONNECT_FAILED', 'Not connected: run Connect first.')
        return { token, label: 'Connect identity' }
      }
    }
  }
}

const auditRunners = new WeakMap<CommandServices, AuditRunner>()
/** The services' one audit runner, shared by the handlers and the event subscription. */
function auditRunnerFor(services: CommandServices): AuditRunner {
  let runner = auditRunners.get(services)
  if (!runner) {
    const resolveIdentity = resolveIdentityWith(services)
    const { workbench, openUrl } = services
    runner = createAuditRunner({ workbench, resolveIdentity, openUrl })
    auditRunners.set(services, runner)
  }
  return runner
}

/** Every command of the contract, implemented over the core and the feature services. */
export function createCommandHandlers(services: CommandServices): CommandHandlers {
  const deps: CommandDeps = {
    workbench: services.workbench,
    mode: services.mode,
    resolveIdentity: resolveIdentityWith(services),
  }
  const { workbench } = services
  // Every feature of the contract is part of this build; only the development issuer can be
  // deselected.
  const included = { available: true, reason: null }
  const appState = async (): Promise<AppState> => ({
    status: workbench.status(),
    config: workbench.config.get(),
    widgets: workbench.widgetSummaries(),
    widgetErrors: workbench.widgets.errors(),
    tunnel: services.tunnelStatus(),
    connect: services.connectState(),
    milestones: workbench.milestones.get(),
    features: {
      devIssuer: workbench.devIssuer()
        ? included
        : { available: false, reason: 'The development issuer is not selected (Auth screen).' },
      forge: included,
      connect: included,
      tunnel: included,
      issuerCheck: included,
    },
    mode: services.mode,
  })
  // Checked, not cast: a command of the contract without a handler here fails to compile.
  const handlers: CommandHandlers = {
    'app:getState': appState,
    ...createConfigCommands(deps),
    ...createWidgetCommands(deps),
    ...createGatewayCommands(deps),
    ...createLogCommands(deps),
    ...createProjectFolderCommands(),
    ...createTokenCommands(deps),
    ...auditRunnerFor(services).handlers,
    ...services.extra,
  }
  return handlers
}

type Emit = <E extends keyof WorkbenchEvents>(event: E, payload: WorkbenchEvents[E]) => void

/**
 * Forwards the core's changes to the UI as contract events; request events are batched per 50 ms.
 */
export function subscribeWorkbenchEvents(services: CommandServices, emit: Emit): () => void {
  const { workbench } = services
  let batch: WorkbenchEvents['log:appended'] = []
  let timer: NodeJS.Timeout | null = null
  // Sessions open and close with requests, not with status changes: the count is re-sent with their events.
  const sessionsOf = (s: ServerStatus) => `${s.sessions} ${s.gateway?.sessions ?? '-'}`
  let sessions = sessionsOf(workbench.status())
  const flush = () => {
    timer = null
    const out = batch
    batch = []
    if (out.length) emit('log:appended', out)
    const status = workbench.status()
    const now = sessionsOf(status)
    if (now === sessions) return
    sessions = now
    emit('status:changed', status)
  }
  const offs = [
    workbench.log.subscribe((event) => {
      batch.push(event)
      timer ??= setTimeout(flush, 50)
    }),
    onLogCleared(workbench, () => {
      // Events batched before the clear are gone with it.
      batch = []
      emit('log:cleared', null)
    }),
    workbench.onStatusChange((status) => emit('status:changed', status)),
    workbench.config.onChange((config) => {
      emit('config:changed', config)
      emit('status:changed', workbench.status())
    }),
    workbench.onWidgetsChange(() =>
      emit('widgets:changed', {
        widgets: workbench.widgetSummaries(),
        errors: workbench.widgets.errors(),
      }),
    ),
    services.onTunnelChange((s) => emit('tunnel:changed', s)),
    services.onConnectChange((s) => emit('connect:changed', s)),
    auditRunnerFor(services).onProgress((p) => emit('audit:progress', p)),
  ]
  return () => {
    if (timer) clearTimeout(timer)
    for (const off of offs) off()
  }
}
