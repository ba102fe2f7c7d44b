// Warm-up, then N timed calls of one or more contenders. Several contenders are interleaved call by call (A B,
// then B A, ...), or block by block, so a busy stretch of a shared machine lands on both sides of a ratio, not on one.

import type { Progress } from './progress.ts';
import { summarize, type TimingSummary } from './statistics.ts';

/** One call as measured from JavaScript, and the model's own share where the contender can time it apart. */
export interface CallTiming {
  /** The whole call as a user of the Model API pays it: input in, inference, output back. */
  readonly totalMs: number;
  /** The inference alone (inside the native harness; around the wasm export), when measurable. */
  readonly modelMs?: number;
  /** CPU time of the inference (process, all threads), when measurable. */
  readonly cpuMs?: number;
}

export interface Contender {
  readonly label: string;
  call(): Promise<CallTiming>;
}

export interface ContenderResult {
  readonly label: string;
  /** Whole-call times. */
  readonly total: TimingSummary;
  /** Model-only times, when the contender reports them. */
  readonly model?: TimingSummary;
  /** Model CPU times, when the contender reports them. */
  readonly cpu?: TimingSummary;
  /** Median per-call overhead (JS to native or wasm and back, copies, readback): median(total - model). */
  readonly overheadMs?: number;
}

export interface SampleOptions {
  readonly warmup: number;
  readonly runs: number;
  readonly progress?: Progress;
  /** Checked between calls: an aborted benchmark stops at the next call boundary. */
  readonly signal?: AbortSignal;
  /**
   * Calls a contender makes in a row before the next takes over (default 1). Blocks suit contenders that leave
   * work behind after a call, such as thread pools that keep polling for a few milliseconds: on a machine with
   * few cores that polling slows whichever contender comes next, and in a block it lands on one call, not all.
   */
  readonly block?: number;
}

export class BenchAborted extends Error {
  constructor() {
    super('benchmark interrupted');
    this.name = 'BenchAborted';
  }
}

export async function sample(contenders: readonly Contender[], opts: SampleOptions): Promise<ContenderResult[]> {
  const samples = contenders.map(() => [] as CallTiming[]);
  const calls = opts.warmup + opts.runs;
  const block = Math.max(1, Math.floor(opts.block ?? 1));
  const total = calls * contenders.length;
  let done = 0;
  for (let first = 0, turn = 0; first < calls; first += block, turn++) {
    // Alternate the order each turn so neither contender always runs right after the other.
    const order = contenders.map((_, i) => (turn % 2 === 0 ? i : contenders.length - 1 - i));
    for (const i of order) {
      for (let call = first; call < Math.min(calls, first + block); call++) {
        if (opts.signal?.aborted) throw new BenchAborted();
        const timed = call >= opts.warmup;
        const t = await contenders[i].call();
        if (timed) samples[i].push(t);
        opts.progress?.update(++done, total, timed ? `timing ${contenders[i].label}` : 'warming up');
      }
    }
  }
  opts.progress?.done();
  return contenders.map((c, i) => resultOf(c.label, samples[i]));
}

function resultOf(label: string, calls: readonly CallTiming[]): ContenderResult {
  const total = summarize(calls.map((c) => c.totalMs));
  const models = calls.map((c) => c.modelMs).filter((m): m is number => m !== undefined);
  if (models.length !== calls.length || calls.length === 0) return { label, total };
  const model = summarize(models);
  const overheadMs = summarize(calls.map((c) => c.totalMs - c.modelMs!)).medianMs;
  const cpus = calls.map((c) => c.cpuMs).filter((m): m is number => m !== undefined);
  return { label, total, model, overheadMs, ...(cpus.length === calls.length ? { cpu: summarize(cpus) } : {}) };
}
