// The one place that joins compiler and targets: model source -> imported graph -> passes -> memory plan ->
// artifacts, plus the cost report. The CLI, the bundler plugin, golden self-tests, benches and tests all call
// compile()/analyze(), so this sequence is written once.

import { analyzeModel, type ModelAnalysis } from '../compiler/analysis/analyze-model.ts';
import { CompileError } from '../compiler/ir/errors.ts';
import type { Graph } from '../compiler/ir/types.ts';
import { ALL_EPILOGUES, RELU_EPILOGUE } from '../compiler/ir/conv-epilogue.ts';
import { runPipeline, type PipelineOptions } from '../compiler/pipeline.ts';
import { planForTarget, planMemory } from '../compiler/plan/plan-memory.ts';
import type { MemoryPlan } from '../compiler/plan/types.ts';
import type { Artifact } from '../compiler/target.ts';
import { validateModelName } from '../targets/c/names.ts';
import { asCompileError } from './errors.ts';
import { goldenArtifacts, goldenCount } from './golden/golden-artifacts.ts';
import { loadGraph, sourceLabel, type LoadOptions, type ModelSource } from './model-source.ts';
import { loadTarget } from './targets.ts';

/** The compiler-pass controls (`--disable-pass`, `--dump-after`, `--time-passes`). */
export interface PassOptions {
  readonly disable?: readonly string[];
  readonly dumpAfter?: readonly string[] | 'all';
  readonly timePasses?: boolean;
}

export interface AnalyzeOptions extends LoadOptions {
  readonly passes?: PassOptions;
  /** Where IR dumps and pass timings go (default stderr). */
  readonly log?: (line: string) => void;
  /** A target whose own passes should run too (analyze reports the shared pipeline without one). */
  readonly target?: string;
}

export interface CompileOptions extends AnalyzeOptions {
  /** What to emit; see targetNames(). */
  readonly target: string;
  /** Model name, a C identifier that prefixes every symbol and file (default "model"). */
  readonly name?: string;
  /** Target-specific emit options, e.g. `{ pthreads: true }` for c/neon (also write `<name>_pthreads.c`). */
  readonly emit?: Readonly<Record<string, unknown>>;
  /** Also emit N golden input/output pairs and a self-test (true = 3). */
  readonly golden?: number | boolean;
}

export interface AnalyzeResult {
  /** The model as imported, before any pass. */
  readonly imported: Graph;
  /** The graph after the passes: what the target emits. */
  readonly graph: Graph;
  readonly plan: MemoryPlan;
  /** The cost figures `snv2c analyze` prints (multiply-adds, MAC, G1-G4 findings, arena). */
  readonly report: ModelAnalysis;
}

export interface CompileResult extends AnalyzeResult {
  readonly target: string;
  readonly name: string;
  /** Files to write, relative to an output folder (see writeArtifacts). */
  readonly artifacts: Artifact[];
}

const stderrLine = (line: string) => process.stderr.write(line.endsWith('\n') ? line : line + '\n');

function pipelineOptions(opts: AnalyzeOptions): PipelineOptions {
  return {
    disable: opts.passes?.disable,
    dumpAfter: opts.passes?.dumpAfter,
    timePasses: opts.passes?.timePasses,
    log: opts.log ?? stderrLine,
    warn: opts.warn ?? ((line) => stderrLine(`warning: ${line}`)),
  };
}

/** Runs the passes and the memory plan on an imported graph (a target's own passes after the shared ones). */
export async function analyzeGraph(imported: Graph, opts: AnalyzeOptions = {}): Promise<AnalyzeResult> {
  return guard(async () => {
    const target = opts.target === undefined ? undefined : await loadTarget(opts.target);
    // A target fuses only the conv epilogues it renders; without a target the analysis shows every fusion.
    const epilogues = target ? (target.epilogues ?? RELU_EPILOGUE) : ALL_EPILOGUES;
    const graph = runPipeline(imported, { ...pipelineOptions(opts), extraPasses: target?.passes, epilogues });
    // The target's kernel groups shape the plan: a fused kernel reads its first node's inputs while it writes.
    const plan = target ? planForTarget(graph, target) : planMemory(graph);
    // The arena figure is the one the artifacts declare: the plan's activations plus the target's kernel scratch.
    const scratchBytes = target ? (target.scratchBytes?.(graph, plan) ?? 0) : undefined;
    return { imported, graph, plan, report: analyzeModel(imported, graph, plan, {}, scratchBytes) };
  });
}

/** Compiles an imported graph for a target: passes, plan, artifacts. */
export async function compileGraph(imported: Graph, opts: CompileOptions): Promise<CompileResult> {
  return guard(async () => {
    const name = validateModelName(opts.name ?? 'model');
    const target = await loadTarget(opts.target);
    const goldenCases = goldenCount(opts.golden);
    const analysed = await analyzeGraph(imported, opts);
    const artifacts = target.emit(analysed.graph, analysed.plan, { name, emit: opts.emit });
    if (goldenCases > 0) artifacts.push(...goldenArtifacts({ imported, target: target.name, name, count: goldenCases }));
    return { ...analysed, target: target.name, name, artifacts };
  });
}

/** Imports, optimises and plans a model without emitting code: the figures of `snv2c analyze`. */
export async function analyze(source: ModelSource, opts: AnalyzeOptions = {}): Promise<AnalyzeResult> {
  return guard(async () => analyzeGraph(await loadGraph(source, opts), opts), sourceLabel(source, opts));
}

/**
 * Compiles a model for a target. Every failure is a CompileError whose `kind` says what went wrong:
 *   const result = await compile('model.onnx', { target: 'wasm', name: 'net', inputShape: [1, 3, 224, 224] });
 *   await writeArtifacts('out/', result.artifacts);
 */
export async function compile(source: ModelSource, opts: CompileOptions): Promise<CompileResult> {
  return guard(async () => {
    // Cheap checks first, so a typo fails before the model is imported.
    validateModelName(opts.name ?? 'model');
    await loadTarget(opts.target);
    return compileGraph(await loadGraph(source, opts), opts);
  }, sourceLabel(source, opts));
}

/** Runs `work`, turning whatever it throws into a CompileError; errors from passes and targets get the file. */
async function guard<T>(work: () => Promise<T>, file?: string): Promise<T> {
  try {
    return await work();
  } catch (e) {
    const error = asCompileError(e);
    return Promise.reject(file === undefined || error.kind === 'internal' ? error : error.withSite({ file }));
  }
}

export type { ModelSource };
export { CompileError };
