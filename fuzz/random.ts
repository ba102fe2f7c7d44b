// The fuzzer's seeded random source: every case is a pure function of (format, seed, iteration), so any failure
// replays exactly with `npm run fuzz -- --format F --seed S --only I`.

import { SeededRandom } from '../compiler/frontend/weights/seeded-random.ts';

export class Random {
  private readonly source: SeededRandom;

  constructor(seed: number) {
    this.source = new SeededRandom(seed);
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.source.uniform() - 2 ** -32;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.min(n - 1, Math.floor(this.next() * n));
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** One independent stream per case. */
export function caseRandom(format: string, seed: number, iteration: number): Random {
  let h = 2166136261;
  for (const c of `${format}:${seed}:${iteration}`) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return new Random(h >>> 0);
}
