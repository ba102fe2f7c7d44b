// `snv2c compile <model> --target c|neon|wasm|wgsl -o <dir> [--name model]`: the library's compile() and
// writeArtifacts() (all or nothing), with a one-line summary on stderr.

import { basename } from 'node:path';
import type { CommandModule } from 'yargs';
import { compile, targetNames, writeArtifacts } from '../../api/index.ts';
import { loadOptions, withModelOptions, type ModelArgs } from '../options.ts';
import { passOptions, withPassOptions, type PassArgs } from '../pass-options.ts';

interface CompileArgs extends ModelArgs, PassArgs {
  target: string;
  output: string;
  name: string;
  golden?: number | boolean;
  pthreads: boolean;
}

const byteLength = (contents: string | Uint8Array) => (typeof contents === 'string' ? Buffer.byteLength(contents) : contents.byteLength);

export const compileCommand: CommandModule<object, CompileArgs> = {
  command: 'compile <model>',
  describe: 'compile a model to C (c, neon), WebAssembly (wasm) or WebGPU shaders (wgsl) in an output folder',
  builder: (y) =>
    withPassOptions(withModelOptions(y))
      .option('target', { type: 'string', demandOption: true, describe: `what to emit: ${targetNames().join(' | ')}` })
      .option('output', { alias: 'o', type: 'string', demandOption: true, describe: 'output folder (created; files in it are replaced)' })
      .option('name', { type: 'string', default: 'model', describe: 'model name: a C identifier that prefixes every symbol and file' })
      .option('golden', {
        type: 'number',
        describe: 'also write golden/ (N seeded inputs, reference outputs, tolerance) and a self-test: <name>_selftest.c for c/neon, <name>.test.js for wasm/wgsl (--golden alone: 3)',
        // yargs calls coerce with undefined for a bare --golden (and not at all without the option).
        coerce: (n: number | undefined) => n ?? true,
      })
      .option('pthreads', { type: 'boolean', default: false, describe: 'c/neon: also write <name>_pthreads.c, a POSIX thread pool for <name>_run_parallel' }) as never,
  handler: async (args) => {
    const start = performance.now();
    const result = await compile(args.model, {
      ...loadOptions(args),
      target: args.target,
      name: args.name,
      golden: args.golden,
      passes: passOptions(args),
      ...(args.pthreads ? { emit: { pthreads: true } } : {}),
    });
    await writeArtifacts(args.output, result.artifacts);
    const bytes = result.artifacts.reduce((s, a) => s + byteLength(a.contents), 0);
    const seconds = ((performance.now() - start) / 1000).toFixed(2);
    process.stderr.write(
      `compiled ${basename(args.model)} for ${result.target}: ${result.artifacts.length} files, ${bytes} bytes, arena ${result.report.memory.arenaBytes} bytes, in ${seconds} s -> ${args.output}\n`,
    );
  },
};
