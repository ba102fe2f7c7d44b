// The snv2c command line: a yargs app assembled from one module per command in bin/commands/.
// A new command is one import and one entry in COMMANDS.

import yargs from 'yargs';
import type { CommandModule } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { analyzeCommand } from './commands/analyze.ts';
import { benchCommand } from './commands/bench.ts';
import { compileCommand } from './commands/compile.ts';
import { inspectCommand } from './commands/inspect.ts';
import { runCommand } from './commands/run.ts';
import { verifyCommand } from './commands/verify.ts';
import { weightsCommand } from './commands/weights.ts';
import { reportError, UsageError } from './report-error.ts';
import { dropWarnings, flushWarnings, setVerboseWarnings } from './warnings.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const COMMANDS: CommandModule<object, any>[] = [inspectCommand, runCommand, analyzeCommand, compileCommand, verifyCommand, weightsCommand, benchCommand];

/** Marks an error thrown by a command's own work, as opposed to yargs rejecting the command line. */
class CommandFailure {
  constructor(readonly error: unknown) {}
}

function guarded<T>(command: CommandModule<object, T>): CommandModule<object, T> {
  return {
    ...command,
    handler: async (args) => {
      try {
        await command.handler(args);
      } catch (e) {
        dropWarnings();
        throw new CommandFailure(e);
      }
      flushWarnings();
    },
  };
}

export async function main(argv: string[]): Promise<void> {
  let app = yargs(argv)
    .scriptName('snv2c')
    .strict()
    .demandCommand(1, 'give a command')
    .option('verbose', { type: 'boolean', global: true, describe: 'print warnings as they happen (by default they are printed only when the command succeeds)' })
    .middleware((args) => setVerboseWarnings(args.verbose === true))
    .help()
    .version(false)
    .wrap(null);
  for (const command of COMMANDS) app = app.command(guarded(command));
  try {
    // fail(false): yargs throws instead of printing usage and exiting, so every error takes the one-line path.
    await app.fail(false).parseAsync();
  } catch (e) {
    if (e instanceof CommandFailure) reportError(e.error);
    else reportError(new UsageError(e instanceof Error ? e.message : String(e)));
  }
}

await main(hideBin(process.argv));
