// The terminal form of `snv2c analyze`: a per-layer table of the compiled graph, then totals before -> after,
// the G1-G4 findings before -> after, and the arena figures.

import { arenaParts, scratchSummary, type ModelAnalysis } from './analyze-model.ts';
import type { CostTotals } from './analyze-cost.ts';
import { displayName, formatBytes, formatCount } from './format.ts';
import { fusedEpiloguesText } from './fused-epilogues.ts';

function table(rows: readonly (readonly string[])[], rightAligned: ReadonlySet<number>): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (rightAligned.has(c) ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd());
}

export function formatTextReport(a: ModelAnalysis): string {
  const lines: string[] = [];
  const header = ['#', 'layer', 'op', 'MACs', 'params', 'MAC bytes', 'FLOP/B', 'flags'];
  const rows = a.after.layers.map((l, i) => [
    String(i),
    displayName(l.name),
    l.category === 'view' ? `${l.op} (view)` : l.op,
    l.macs ? formatCount(l.macs) : '-',
    l.params ? formatCount(l.params) : '-',
    l.macBytes ? formatBytes(l.macBytes) : '-',
    l.macBytes ? l.intensity.toFixed(1) : '-',
    l.guidelines.join(','),
  ]);
  lines.push(`compiled graph, input ${a.inputShapes.map((s) => s.join('x')).join(', ')}: ${a.after.layers.length} nodes`);
  lines.push(...table([header, ...rows], new Set([0, 3, 4, 5, 6])));

  const b = a.before.totals;
  const f = a.after.totals;
  const totalRows: [string, (t: CostTotals) => string][] = [
    ['multiply-adds', (t) => formatCount(t.macs)],
    ['FLOPs', (t) => formatCount(t.flops)],
    ['parameters', (t) => t.params.toLocaleString('en-US')],
    ['memory access (MAC)', (t) => formatBytes(t.macBytes)],
    ['bytes moved by copies', (t) => formatBytes(t.movedBytes)],
    ['FLOPs per MAC byte', (t) => t.intensity.toFixed(2)],
    ['kernels (views)', (t) => `${t.kernels} (${t.views})`],
  ];
  lines.push('', 'totals             as given  ->  compiled');
  lines.push(...table(totalRows.map(([label, fmt]) => [label, fmt(b), '->', fmt(f)]), new Set([1, 3])));

  lines.push('', `fused into conv epilogues: ${fusedEpiloguesText(a.fused)}`);
  lines.push('', 'guidelines (as given -> compiled)');
  a.before.findings.forEach((before, i) => {
    const after = a.after.findings[i];
    lines.push(`${before.id} ${before.title}`, `   as given: ${before.summary}`, `   compiled: ${after.summary}`);
  });

  const m = a.memory;
  const ratio = m.arenaLowerBoundBytes > 0 ? m.plannedBytes / m.arenaLowerBoundBytes : 1;
  lines.push('', 'memory plan');
  lines.push(`   arena ${formatBytes(m.arenaBytes)} (${m.arenaBytes} B): ${arenaParts(m)}`);
  lines.push(`   activations ${formatBytes(m.plannedBytes)} (${m.plannedBytes} B), lower bound ${formatBytes(m.arenaLowerBoundBytes)} (${ratio.toFixed(3)}x), all activations ${formatBytes(m.activationBytes)} (${(m.activationBytes / Math.max(1, m.plannedBytes)).toFixed(1)}x the planned ones)`);
  lines.push(`   ${scratchSummary(m)}`);
  lines.push(`   copies at run time: ${m.copyNodes.length ? m.copyNodes.map((n) => displayName(n, 30)).join(', ') : 'none'}`);
  return lines.join('\n') + '\n';
}
