import { mergeConfigPatch } from '../config/mergeConfigPatch'
import type { CommandDeps } from './commandDeps'
import type { CommandHandlers } from './types'

export function createConfigCommands({
  workbench,
}: CommandDeps): Pick<CommandHandlers, 'config:get' | 'config:update'> {
  return {
    'config:get': async () => ({
      config: workbench.config.get(),
      raw: workbench.config.raw(),
      path: workbench.config.path,
      error: workbench.config.lastError(),
    }),
    'config:update': (patch) => workbench.config.update((raw) => mergeConfigPatch(raw, patch)),
  }
}
