// The text tables of `snv2c bench --guidelines`: per row the configuration, FLOPs, our images/s, and the paper's
// GPU and ARM figures, each with its speed relative to the table's first row (the shape the paper argues from).

import { formatRate } from '../timing/statistics.ts';
import { TABLE_KEYS, type GuidelineTables, type TableKey } from './run-guidelines.ts';

const TITLES: Record<TableKey, string> = {
  g1: 'G1 (Table 1): 10 blocks of two 1x1 convs c1->c2->c1, equal FLOPs, 56x56',
  g2: 'G2 (Table 2): 10 1x1 group convs, equal FLOPs (c grows with g), 56x56',
  g3: 'G3 (Table 3): 10 blocks of 1-4 1x1 convs in series or parallel, equal FLOPs, 56x56',
  g4: 'G4 (Table 4): 10 ResNet bottlenecks (c=128, width 32), ReLU and shortcut removed separately, 56x56',
};

export function formatGuidelines(t: GuidelineTables & { notes?: readonly string[] }): string {
  const lines: string[] = [`guideline experiments of Ma et al. (ECCV 2018), target ${t.target}; paper: GPU batches/s (GTX 1080Ti), ARM images/s (Snapdragon 810)`];
  for (const key of TABLE_KEYS) {
    lines.push('', TITLES[key], `  ${'config'.padEnd(36)} ${'FLOPs'.padStart(8)} ${'images/s'.padStart(9)} ${'rel'.padStart(5)} | ${'paper GPU'.padStart(9)} ${'rel'.padStart(5)} | ${'paper ARM'.padStart(9)} ${'rel'.padStart(5)}`);
    const first = t[key][0];
    for (const r of t[key]) {
      const rel = (x: number | null, base: number | null) => (x !== null && base ? (x / base).toFixed(2) : '-').padStart(5);
      lines.push(
        `  ${r.config.padEnd(36)} ${`${(r.flops / 1e6).toFixed(0)}M`.padStart(8)} ${(r.imagesPerSecond === null ? 'n/a' : formatRate(r.imagesPerSecond)).padStart(9)} ${rel(r.imagesPerSecond, first.imagesPerSecond)} | ${String(r.paperGpu).padStart(9)} ${rel(r.paperGpu, first.paperGpu)} | ${r.paperArm.toFixed(1).padStart(9)} ${rel(r.paperArm, first.paperArm)}`,
      );
    }
  }
  for (const note of t.notes ?? []) lines.push(`note: ${note}`);
  return lines.join('\n') + '\n';
}
