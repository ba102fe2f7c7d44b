// `snv2c inspect <model>`: import a model and print its IR (the same text golden dumps use).

import type { CommandModule } from 'yargs';
import { printGraph } from '../../compiler/ir/print.ts';
import { loadGraph } from '../../api/model-source.ts';
import { loadOptions, withModelOptions, type ModelArgs } from '../options.ts';

interface InspectArgs extends ModelArgs {
  constants: boolean;
}

export const inspectCommand: CommandModule<object, InspectArgs> = {
  command: 'inspect <model>',
  describe: 'print the IR of a model',
  builder: (y) => withModelOptions(y).option('constants', { type: 'boolean', default: true, describe: 'list constants (weights) with checksums; --no-constants hides them' }) as never,
  handler: async (args) => {
    const graph = await loadGraph(args.model, loadOptions(args));
    process.stdout.write(printGraph(graph, { constants: args.constants }));
  },
};
