// `snv2c weights fetch <model> [-o dir]`: torchvision's published ShuffleNetV2 checkpoint, downloaded once into
// the cache and verified against the sha256 its file name carries. Prints the path of the verified file.

import type { Argv, CommandModule } from 'yargs';
import { fetchCheckpoint } from '../../api/weights/fetch-checkpoint.ts';
import { TORCHVISION_CHECKPOINTS } from '../../api/weights/torchvision-checkpoints.ts';

interface WeightsArgs {
  action: 'fetch';
  model: string;
  out?: string;
  'base-url'?: string;
}

export const weightsCommand: CommandModule<object, WeightsArgs> = {
  command: 'weights <action> <model>',
  describe: "fetch torchvision's ImageNet checkpoint: weights fetch shufflenet_v2_x1_0 [-o dir] (cached in $SNV2C_CACHE_DIR, $XDG_CACHE_HOME/snv2c or ~/.cache/snv2c)",
  builder: (y) =>
    y
      .positional('action', { type: 'string', choices: ['fetch'], demandOption: true, describe: 'what to do' })
      .positional('model', { type: 'string', choices: Object.keys(TORCHVISION_CHECKPOINTS), demandOption: true, describe: 'which ShuffleNetV2' })
      .option('out', { alias: 'o', type: 'string', describe: 'also copy the checkpoint into this folder' })
      .option('base-url', { type: 'string', describe: 'where the checkpoints are served (default $SNV2C_WEIGHTS_URL, else https://download.pytorch.org/models/)' }) as Argv<WeightsArgs>,
  handler: async (args) => {
    const path = await fetchCheckpoint(args.model, { outDir: args.out, baseUrl: args['base-url'], log: (line) => process.stderr.write(line + '\n') });
    process.stdout.write(path + '\n');
  },
};
