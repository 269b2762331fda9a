import type { CommandDeps } from './commandDeps'
import type { CommandHandlers } from './types'

type GatewayCommands = Pick<CommandHandlers, 'upstream:test'>

export function createGatewayCommands({ workbench }: CommandDeps): GatewayCommands {
  return {
    'upstream:test': (upstream) => workbench.gateway.test(upstream),
  }
}
