// `snv2c bench <model> --target T [--runs N] [--warmup N] [--threads N] [--json] [--profile] [--vs onnxruntime]`
// and `snv2c bench --guidelines --target T`: a thin layer over bench/ (timing, profiles, the paper's experiments).
// Ctrl-C stops at the next call boundary; every model, child process and temporary folder is released first.

import type { CommandModule } from 'yargs';
import { benchModel } from '../../bench/bench-model.ts';
import { formatGuidelines } from '../../bench/guidelines/format-guidelines.ts';
import { guidelinesJson, runGuidelines } from '../../bench/guidelines/run-guidelines.ts';
import { benchJson } from '../../bench/report/bench-json.ts';
import { formatBench } from '../../bench/report/format-bench.ts';
import { progressLine } from '../../bench/timing/progress.ts';
import { BenchAborted } from '../../bench/timing/sampler.ts';
import { CompileError } from '../../compiler/ir/errors.ts';
import { loadOptions, withModelOptions, type ModelArgs } from '../options.ts';

interface BenchArgs extends Omit<ModelArgs, 'model'> {
  model?: string;
  target: string;
  runs: number;
  warmup: number;
  threads: number;
  json: boolean;
  profile: boolean;
  guidelines: boolean;
  vs?: string;
}

/** Aborts on the first Ctrl-C (the benchmark unwinds and cleans up); a second one exits at once. */
function interruptible<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T | undefined> {
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  return work(controller.signal)
    .catch((e) => {
      if (!(e instanceof BenchAborted)) throw e;
      process.stderr.write('snv2c: benchmark interrupted; nothing left running\n');
      process.exitCode = 130;
      return undefined;
    })
    .finally(() => process.off('SIGINT', onSigint));
}

export const benchCommand: CommandModule<object, BenchArgs> = {
  command: 'bench [model]',
  describe: 'time a model on a target (min/median/p90, images/s), optionally per layer or against onnxruntime; or run the paper\'s guideline experiments',
  builder: (y) =>
    withModelOptions(y)
      .positional('model', { type: 'string', demandOption: false })
      .option('target', { type: 'string', demandOption: true, describe: 'c | neon | wasm | wgsl (neon off ARM runs under qemu: times not meaningful)' })
      .option('runs', { type: 'number', default: 50, describe: 'timed runs' })
      .option('warmup', { type: 'number', default: 10, describe: 'untimed runs first' })
      .option('threads', { type: 'number', default: 1, describe: 'threads per inference: snv2c c/neon (run_parallel on a POSIX pool) and the onnxruntime peer; wasm and wgsl run on one' })
      .option('json', { type: 'boolean', default: false, describe: 'print the results as JSON' })
      .option('profile', { type: 'boolean', default: false, describe: 'time every kernel (instrumented build) and join with the cost model' })
      .option('guidelines', { type: 'boolean', default: false, describe: 'run the four guideline experiments of the ShuffleNet V2 paper (Tables 1-4) instead of a model' })
      .option('vs', { type: 'string', choices: ['onnxruntime'], describe: 'also time onnxruntime-node on the same model, interleaved (optional package)' }) as never,
  handler: async (args) => {
    const progress = args.json ? undefined : progressLine();
    await interruptible(async (signal) => {
      if (args.guidelines) {
        if (args.model !== undefined) throw new CompileError('--guidelines builds its own networks: give no model', { kind: 'invalid-input' });
        const tables = await runGuidelines({ target: args.target, runs: args.runs, warmup: args.warmup, progress, signal });
        process.stdout.write(args.json ? JSON.stringify(guidelinesJson(tables), null, 2) + '\n' : formatGuidelines(tables));
        return;
      }
      if (args.model === undefined) throw new CompileError('give a model to bench (or --guidelines)', { kind: 'invalid-input' });
      const result = await benchModel(args.model, {
        target: args.target,
        runs: args.runs,
        warmup: args.warmup,
        threads: args.threads,
        profile: args.profile,
        vs: args.vs === 'onnxruntime' ? 'onnxruntime' : undefined,
        load: loadOptions({ ...args, model: args.model }),
        progress,
        signal,
      });
      process.stdout.write(args.json ? JSON.stringify(benchJson(result), null, 2) + '\n' : formatBench(result));
    });
  },
};
