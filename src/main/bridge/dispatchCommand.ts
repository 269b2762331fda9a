import { commandArgs, type Command, type CommandResponse } from '../../shared/contract'
import { serializeError, WorkbenchError } from '../../shared/errors'
import type { CommandHandlers } from '../commands/types'

/** True for a name the contract defines (own keys only, so `__proto__` or `toString` never pass). */
export function isCommand(name: unknown): name is Command {
  return typeof name === 'string' && Object.hasOwn(commandArgs, name)
}

/**
 * Runs one command for IPC and the browser bridge alike: validates `args` against the contract with zod,
 * calls the handler, and returns errors as data (`ERR_IPC_INVALID` for an unknown command or bad arguments).
 */
export async function dispatchCommand(
  handlers: CommandHandlers,
  command: unknown,
  args: unknown,
): Promise<CommandResponse<Command>> {
  try {
    if (!isCommand(command))
      throw new WorkbenchError(
        'ERR_IPC_INVALID',
        `Unknown command: ${String(command).slice(0, 80)}`,
      )
    const parsed = commandArgs[command].parse(args)
    const run = handlers[command] as (...a: unknown[]) => Promise<unknown>
    const value = await run(...(parsed as unknown[]))
    return { ok: true, value } as CommandResponse<Command>
  } catch (err) {
    return { ok: false, error: serializeError(err) }
  }
}
