// `snv2c verify <dir>`: checks a folder written by `compile --golden` against its golden files; prints each
// case's max abs difference and exits 1 when any exceeds the manifest's tolerance.

import type { CommandModule } from 'yargs';
import { verifyFolder } from '../../api/golden/verify-folder.ts';
import { CompileError } from '../../compiler/ir/errors.ts';

/** 1.67e-6 rather than 0.00000167; 0.959 as is. */
const showDiff = (x: number) => (x !== 0 && Math.abs(x) < 1e-3 ? x.toExponential(2) : String(Number(x.toPrecision(3))));

interface VerifyArgs {
  dir: string;
}

export const verifyCommand: CommandModule<object, VerifyArgs> = {
  command: 'verify <dir>',
  describe: 'run a folder compiled with --golden on its golden inputs and compare with the reference outputs',
  builder: (y) => y.positional('dir', { type: 'string', demandOption: true, describe: 'the output folder of compile --golden' }) as never,
  handler: async (args) => {
    const result = await verifyFolder(args.dir);
    for (const c of result.cases) process.stdout.write(`${c.input}: max abs diff ${showDiff(c.maxAbsDiff)}\n`);
    const worst = Math.max(...result.cases.map((c) => c.maxAbsDiff));
    const summary = `max abs diff ${showDiff(worst)} over ${result.cases.length} golden cases (tolerance ${result.tolerance})`;
    if (!result.pass) throw new CompileError(`${result.model} (${result.target}) does not reproduce its golden outputs: ${summary}`, { file: args.dir, kind: 'invalid-model' });
    process.stdout.write(`${result.model} (${result.target}): PASS, ${summary}\n`);
  },
};
