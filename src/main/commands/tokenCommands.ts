import { inspectToken } from '../auth/inspectToken'
import type { CommandDeps } from './commandDeps'
import type { CommandHandlers } from './types'

export function createTokenCommands({ workbench }: CommandDeps): Pick<CommandHandlers, 'token:inspect'> {
  return { 'token:inspect': (token) => inspectToken(workbench, token) }
}
