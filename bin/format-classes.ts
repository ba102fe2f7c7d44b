// How `snv2c run` prints a classifier's result without --output: the top classes of each batch row, as text
// (indices only: one line per row, as before; with names: one line per class) or as JSON (--json).

import { topClasses, type RankedClass } from '../runtime/image/top-classes.ts';
import type { HostTensor } from './tensor-files.ts';

function rankedRows(t: HostTensor, top: number, labels?: readonly string[]): RankedClass[][] {
  const rows = t.shape.length > 1 ? t.shape[0] : 1;
  const width = t.data.length / Math.max(rows, 1);
  return Array.from({ length: rows }, (_, r) => topClasses(t.data.subarray(r * width, (r + 1) * width), top, labels));
}

/**
 * Without labels: "row 0: 281 (9.1234), 282 (8.0012), ..." per row. With labels, a line per class:
 *   row 0:
 *     1. 281 tabby  9.1234  (p 0.4310)
 */
export function formatTopClasses(t: HostTensor, top: number, labels?: readonly string[]): string {
  const lines: string[] = [];
  rankedRows(t, top, labels).forEach((ranked, r) => {
    if (!labels) {
      lines.push(`row ${r}: ` + ranked.map((c) => `${c.index} (${c.logit.toFixed(4)})`).join(', '));
      return;
    }
    lines.push(`row ${r}:`);
    const width = Math.max(...ranked.map((c) => `${c.index} ${c.label}`.length));
    ranked.forEach((c, i) => lines.push(`  ${i + 1}. ${`${c.index} ${c.label}`.padEnd(width)}  ${c.logit.toFixed(4)}  (p ${c.probability.toFixed(4)})`));
  });
  return lines.join('\n') + '\n';
}

/** `{ "rows": [[{ "index", "label"?, "logit", "probability" }, ...], ...] }` */
export function formatTopClassesJson(t: HostTensor, top: number, labels?: readonly string[]): string {
  return JSON.stringify({ rows: rankedRows(t, top, labels) }, null, 2) + '\n';
}
