// `snv2c bench`: compile a model through the library API, run it on its target, and time it: warm-up, N runs,
// min / median / p90, images per second, the per-call overhead apart from the model's own time, optionally
// interleaved with onnxruntime-node on the same model and input, and optionally a per-kernel profile joined
// with the cost model.

import { readFileSync } from 'node:fs';
import { compile, type CompileResult } from '../api/compile.ts';
import type { LoadOptions, ModelSource } from '../api/model-source.ts';
import { CompileError } from '../compiler/ir/errors.ts';
import { numel } from '../compiler/ir/types.ts';
import { startInstrument, type Instrument } from './instruments.ts';
import { startOnnxRuntime, type OnnxRuntimePeer } from './peers/onnxruntime.ts';
import { checkTargetRunnable, timingCaveat } from './preflight.ts';
import { profileKernels, type ProfileOptions } from './profile/profile-kernels.ts';
import type { Profile } from './profile/join-profile.ts';
import type { Progress } from './timing/progress.ts';
import { sample, type Contender, type ContenderResult } from './timing/sampler.ts';
import { imagesPerSecond } from './timing/statistics.ts';

export interface BenchOptions {
  readonly target: string;
  readonly runs: number;
  readonly warmup: number;
  /** Threads per inference: snv2c's c/neon `<name>_run_parallel` and onnxruntime's intra-op threads (wasm, wgsl: one). */
  readonly threads?: number;
  readonly profile?: boolean;
  readonly vs?: 'onnxruntime';
  readonly load?: LoadOptions;
  readonly progress?: Progress;
  readonly signal?: AbortSignal;
}

export interface BenchResult {
  readonly model: string;
  readonly target: string;
  readonly batch: number;
  readonly runs: number;
  readonly warmup: number;
  /** snv2c's timings: whole calls, and the model alone where the target can tell them apart. */
  readonly snv2c: ContenderResult;
  readonly imagesPerSecond: number;
  readonly peer?: { readonly result: ContenderResult; readonly threads: number; readonly maxAbsDiff: number };
  readonly profile?: Profile & { readonly profiledRuns: number };
  /** Caveats to print with the figures (emulation, threads). */
  readonly notes: readonly string[];
}

/** Targets whose emitted C runs layers on several threads (`<name>_run_parallel`). */
const NATIVE = new Set(['c', 'neon']);

/** A checked count option: a positive (or, for warm-up, non-negative) integer, else a one-line error. */
export function checkCount(option: string, value: number, min: number): number {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new CompileError(`${option} must be ${min > 0 ? 'a positive' : 'a non-negative'} integer, got ${JSON.stringify(value)}`, { kind: 'invalid-input' });
  }
  return value;
}

/** Deterministic input in [-1, 1] (the same pattern the repository's benches use). */
export function benchInput(shape: readonly number[]): Float32Array {
  return Float32Array.from({ length: numel(shape) }, (_, i) => Math.sin(i * 0.37));
}

/** The snv2c time a result is quoted in: the model alone when measured apart, else the whole call. */
export const headline = (r: ContenderResult) => r.model ?? r.total;

function onnxBytes(source: ModelSource): Uint8Array {
  if (source instanceof Uint8Array) return source;
  if (typeof source === 'string' && /\.onnx$/i.test(source)) return readFileSync(source);
  throw new CompileError('--vs onnxruntime needs an .onnx model (onnxruntime cannot run a spec)', { kind: 'invalid-input' });
}

export async function benchModel(source: ModelSource, opts: BenchOptions): Promise<BenchResult> {
  const runs = checkCount('--runs', opts.runs, 1);
  const warmup = checkCount('--warmup', opts.warmup, 0);
  const threads = checkCount('--threads', opts.threads ?? 1, 1);
  checkTargetRunnable(opts.target);
  const peerModel = opts.vs === 'onnxruntime' ? onnxBytes(source) : undefined;
  const result = await compile(source, { ...opts.load, target: opts.target, warn: opts.load?.warn ?? (() => undefined) });
  const inputShape = result.graph.values.get(result.graph.inputs[0])!.type.shape;
  const input = benchInput(inputShape);
  const notes = [timingCaveat(opts.target), threads > 1 && !NATIVE.has(opts.target) ? `--threads ${threads} applies to onnxruntime; snv2c's ${opts.target} build runs on one thread` : undefined].filter((n): n is string => !!n);

  const owned: { dispose(): void }[] = [];
  try {
    const instrument = await startInstrument(result, false, threads);
    owned.push(instrument);
    if (instrument.measuredOn) notes.push(instrument.measuredOn);
    let ours: Float32Array | undefined;
    const contenders: Contender[] = [
      {
        label: `snv2c ${opts.target}${threads > 1 && NATIVE.has(opts.target) ? ` (${threads} threads)` : ''}`,
        call: async () => {
          const r = await instrument.call(input);
          ours = r.output;
          return r;
        },
      },
    ];
    let peer: OnnxRuntimePeer | undefined;
    let theirs: Float32Array | undefined;
    if (peerModel) {
      peer = await startOnnxRuntime(peerModel, inputShape, threads);
      owned.push(peer);
      const running = peer;
      contenders.push({
        label: `onnxruntime-node (${threads} thread${threads > 1 ? 's' : ''})`,
        call: async () => {
          const start = performance.now();
          theirs = await running.run(input);
          return { totalMs: performance.now() - start };
        },
      });
    }
    const [snv2c, peerResult] = await sample(contenders, { warmup, runs, progress: opts.progress, signal: opts.signal });
    const profile = opts.profile ? { ...(await profileCompiled(result, { warmup: Math.max(1, warmup), runs, progress: opts.progress, signal: opts.signal })), profiledRuns: runs } : undefined;
    return {
      model: typeof source === 'string' ? source : (opts.load?.file ?? 'model'),
      target: opts.target,
      batch: inputShape[0],
      runs,
      warmup,
      snv2c,
      imagesPerSecond: imagesPerSecond(headline(snv2c).medianMs, inputShape[0]),
      peer: peerResult && { result: peerResult, threads, maxAbsDiff: maxAbsDiff(ours!, theirs!) },
      profile,
      notes,
    };
  } finally {
    for (const o of owned.reverse()) o.dispose();
  }
}

/** Per-kernel times of a compiled model from its instrumented build (the `--profile` of bench and analyze). */
export async function profileCompiled(result: CompileResult, opts: ProfileOptions): Promise<Profile> {
  checkTargetRunnable(result.target);
  const instrument: Instrument = await startInstrument(result, true);
  try {
    return await profileKernels(result, instrument, benchInput(result.graph.values.get(result.graph.inputs[0])!.type.shape), opts);
  } finally {
    instrument.dispose();
  }
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return Number.isNaN(d) ? Infinity : d;
}
