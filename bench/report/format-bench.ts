// The text report of `snv2c bench`: the timing summary, the per-call overhead, the peer and its ratio, and with
// --profile the per-layer table joined with the cost model and the breakdown by kind (the paper's Figure 2).

import { displayName, formatBytes, formatCount } from '../../compiler/analysis/format.ts';
import { headline, type BenchResult } from '../bench-model.ts';
import type { Profile } from '../profile/join-profile.ts';
import { formatRate, type TimingSummary } from '../timing/statistics.ts';

/** What a call adds to the model's own time, per target (c and neon: the pipe to the native harness). */
const CALL_PATH: Record<string, string> = { wasm: 'JS to wasm and back', wgsl: 'input upload, submit and readback around the GPU pass' };

const ms = (x: number) => `${x.toFixed(3)} ms`;
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const timing = (t: TimingSummary) => `min ${ms(t.minMs)}  median ${ms(t.medianMs)}  p90 ${ms(t.p90Ms)}`;

export function formatBench(r: BenchResult): string {
  const lines = [`model ${displayName(r.model, 80)}, target ${r.target}, batch ${r.batch}: ${r.warmup} warm-up + ${r.runs} timed runs`];
  const ours = r.snv2c;
  if (ours.model) {
    lines.push(`  model       ${timing(ours.model)}  = ${formatRate(r.imagesPerSecond)} images/s`);
    if (ours.cpu) lines.push(`  model CPU   ${timing(ours.cpu)}  (CPU time of the process in the model: steadier than wall time on a loaded machine)`);
    lines.push(`  whole call  ${timing(ours.total)}  (per-call overhead, ${CALL_PATH[r.target] ?? 'JS to the native harness and back'}: median ${ms(ours.overheadMs!)})`);
  } else {
    lines.push(`  whole call  ${timing(ours.total)}  = ${formatRate(r.imagesPerSecond)} images/s  (input upload, dispatches and readback: no timestamp queries to separate them)`);
  }
  if (r.peer) {
    const theirs = r.peer.result.total;
    const ratio = theirs.medianMs / headline(ours).medianMs;
    lines.push(`  ${r.peer.result.label}: ${timing(theirs)}  (interleaved with snv2c; max |diff| of outputs ${r.peer.maxAbsDiff.toExponential(1)})`);
    lines.push(`  onnxruntime / snv2c median: ${ratio.toFixed(2)}x (${ratio >= 1 ? 'snv2c faster' : 'onnxruntime faster'}; whole calls against snv2c's ${ours.model ? 'model time' : 'whole calls'})`);
  }
  for (const note of r.notes) lines.push(`  note: ${note}`);
  if (r.profile) lines.push('', ...formatProfile(r.profile, headline(ours).medianMs, r.profile.profiledRuns));
  return lines.join('\n') + '\n';
}

export function formatProfile(p: Profile, wholeMedianMs: number, runs: number): string[] {
  const header = `${'layer'.padEnd(40)} ${'op'.padEnd(13)} ${'ms'.padStart(8)} ${'share'.padStart(6)} ${'MACs'.padStart(8)} ${'GMAC/s'.padStart(7)} ${'MAC bytes'.padStart(10)} ${'GB/s'.padStart(6)}  flags`;
  const rows = p.layers.map(
    (l) =>
      `${displayName(l.name, 40).padEnd(40)} ${l.op.padEnd(13)} ${l.ms.toFixed(3).padStart(8)} ${pct(l.share).padStart(6)} ${formatCount(l.macs).padStart(8)} ${l.gmacPerSecond.toFixed(1).padStart(7)} ${formatBytes(l.macBytes).padStart(10)} ${l.gbPerSecond.toFixed(1).padStart(6)}  ${l.guidelines.join(' ')}`,
  );
  const width = Math.max(...Object.keys(p.byKind).map((k) => k.length));
  const kinds = Object.entries(p.byKind).map(([kind, t]) => `  ${kind.padEnd(width)} ${t.toFixed(3).padStart(8)} ms ${pct(p.layerSumMs > 0 ? t / p.layerSumMs : 0).padStart(6)}`);
  return [
    `profile: median of ${runs} instrumented runs per kernel; layers sum to ${ms(p.layerSumMs)} = ${p.wholeMs ? `${pct(p.layerSumMs / p.wholeMs)} of the whole model in the same runs (median ${ms(p.wholeMs)}), ` : ''}${pct(p.layerSumMs / wholeMedianMs)} of the uninstrumented median`,
    header,
    ...rows,
    '',
    'time by kind (the paper\'s Figure 2; data movement is 0 when channel routing made split/concat/shuffle views):',
    ...kinds,
  ];
}
