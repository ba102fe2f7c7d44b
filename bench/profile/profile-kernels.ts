// Runs an instrumented build and turns its per-kernel times into a profile: the median of each kernel over the
// runs (medians per kernel, so one preempted run does not land on one layer), joined with the cost model.

import type { CompileResult } from '../../api/compile.ts';
import type { Instrument } from '../instruments.ts';
import { BenchAborted } from '../timing/sampler.ts';
import type { Progress } from '../timing/progress.ts';
import { percentile } from '../timing/statistics.ts';
import { joinProfile, type KernelTime, type Profile } from './join-profile.ts';

export interface ProfileOptions {
  readonly warmup: number;
  readonly runs: number;
  readonly progress?: Progress;
  readonly signal?: AbortSignal;
}

export async function profileKernels(result: CompileResult, instrument: Instrument, input: Float32Array, opts: ProfileOptions): Promise<Profile> {
  let slots: Omit<KernelTime, 'ms'>[] | undefined;
  const samples: number[][] = [];
  const wholes: number[] = [];
  for (let i = 0; i < opts.warmup + opts.runs; i++) {
    if (opts.signal?.aborted) throw new BenchAborted();
    const { kernels, modelMs, totalMs } = await instrument.call(input);
    if (!kernels) throw new Error(`target ${result.target} returned no kernel times from its instrumented build`);
    slots ??= kernels.map(({ nodeIds, transfer }) => ({ nodeIds, transfer }));
    if (i >= opts.warmup) {
      kernels.forEach((k, j) => (samples[j] ??= []).push(k.ms));
      wholes.push(modelMs ?? totalMs);
    }
    opts.progress?.update(i + 1, opts.warmup + opts.runs, i < opts.warmup ? 'warming up the profile build' : 'profiling');
  }
  opts.progress?.done();
  const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 0.5);
  const medians: KernelTime[] = (slots ?? []).map((slot, j) => ({ ...slot, ms: median(samples[j]) }));
  return { ...joinProfile(result.graph, result.report.after.layers, medians), wholeMs: wholes.length ? median(wholes) : undefined };
}
