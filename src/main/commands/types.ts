import type { Command, CommandArgs, CommandResults } from '../../shared/contract'

/** The main-process implementation of every command of the contract. */
export type CommandHandlers = {
  [C in Command]: (...args: CommandArgs<C>) => Promise<CommandResults[C]>
}
