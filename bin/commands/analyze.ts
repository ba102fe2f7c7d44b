// `snv2c analyze <model> [--json] [--html report.html [--profile --target T]]`: the library's analyze(): cost of the
// model as given and of the compiled graph (multiply-adds, parameters, memory access cost, G1-G4 findings), and
// the arena (with --target as the emitted code declares it, kernel scratch included). With --profile the model is
// compiled for T and timed per kernel (bench/), and the HTML report draws the measured time of each layer beside
// its FLOPs and MAC.

import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { CommandModule } from 'yargs';
import { analyze, compile, CompileError } from '../../api/index.ts';
import { analysisJson, type ModelAnalysis } from '../../compiler/analysis/analyze-model.ts';
import { formatHtmlReport, type MeasuredTimes } from '../../compiler/analysis/html-report.ts';
import { formatTextReport } from '../../compiler/analysis/text-report.ts';
import { loadOptions, withModelOptions, type ModelArgs } from '../options.ts';
import { passOptions, withPassOptions, type PassArgs } from '../pass-options.ts';

interface AnalyzeArgs extends ModelArgs, PassArgs {
  json: boolean;
  html?: string;
  profile: boolean;
  target?: string;
  runs: number;
}

/** The report, with measured per-layer times when --profile asks for them. */
async function reportOf(args: AnalyzeArgs): Promise<{ report: ModelAnalysis; measured?: MeasuredTimes }> {
  const options = { ...loadOptions(args), passes: passOptions(args) };
  if (!args.profile) return { report: (await analyze(args.model, { ...options, target: args.target })).report };
  if (args.html === undefined || args.target === undefined) throw new CompileError('--profile draws measured times in the HTML report: give --html FILE and --target T', { kind: 'invalid-input' });
  // Loaded on demand: plain analyze never pulls in the benchmark drivers.
  const { profileCompiled, checkCount } = await import('../../bench/bench-model.ts');
  const runs = checkCount('--runs', args.runs, 1);
  const result = await compile(args.model, { ...options, target: args.target });
  const profile = await profileCompiled(result, { warmup: 2, runs });
  // A kernel fusing several nodes (WGSL) draws its time at its first node.
  const msByNode = new Map(profile.layers.map((l) => [l.nodeIds[0], l.ms]));
  return { report: result.report, measured: { target: args.target, msByNode, how: `median of ${runs} runs of an instrumented build per kernel, ${profile.layerSumMs.toFixed(3)} ms in all` } };
}

export const analyzeCommand: CommandModule<object, AnalyzeArgs> = {
  command: 'analyze <model>',
  describe: 'report multiply-adds, parameters, memory access cost, guideline findings and the arena size',
  builder: (y) =>
    withPassOptions(withModelOptions(y))
      .option('json', { type: 'boolean', default: false, describe: 'print the report as JSON' })
      .option('html', { type: 'string', describe: 'also write a self-contained HTML report to this file' })
      .option('profile', { type: 'boolean', default: false, describe: 'with --html and --target: time every layer on the target and draw it beside FLOPs and MAC' })
      .option('target', { type: 'string', describe: 'analyse for this target (c | neon | wasm | wgsl): its own passes, and its kernel scratch in the arena; the target of --profile' })
      .option('runs', { type: 'number', default: 20, describe: 'instrumented runs of --profile' }) as never,
  handler: async (args) => {
    const { report, measured } = await reportOf(args);
    if (args.html !== undefined) {
      try {
        writeFileSync(args.html, formatHtmlReport(report, basename(args.model), measured));
      } catch (e) {
        throw new CompileError(`cannot write the HTML report: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, { file: args.html, kind: 'io' });
      }
    }
    process.stdout.write(args.json ? JSON.stringify(analysisJson(report), null, 2) + '\n' : formatTextReport(report));
  },
};
