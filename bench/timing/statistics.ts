// Summaries of timing samples. Benchmarks report order statistics (min, median, p90), not means: one preempted
// run on a shared machine moves a mean but not a median.

export interface TimingSummary {
  readonly runs: number;
  readonly minMs: number;
  readonly medianMs: number;
  readonly p90Ms: number;
}

/** Nearest-rank percentile of ascending `sorted` (p in [0, 1]). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil(p * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** The median of unsorted samples (nearest rank, as in summaries). */
export function median(samples: readonly number[]): number {
  return percentile([...samples].sort((a, b) => a - b), 0.5);
}

export function summarize(samplesMs: readonly number[]): TimingSummary {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return { runs: sorted.length, minMs: sorted[0] ?? NaN, medianMs: percentile(sorted, 0.5), p90Ms: percentile(sorted, 0.9) };
}

/** Images per second at a median of `medianMs` for `batch` images per call. */
export function imagesPerSecond(medianMs: number, batch: number): number {
  return medianMs > 0 ? (1000 * batch) / medianMs : 0;
}

/** Images per second for people: 4 significant digits, never exponent notation ("36750", "253.1", "0.1234"). */
export function formatRate(x: number): string {
  return x >= 1000 ? x.toFixed(0) : x.toPrecision(4);
}
