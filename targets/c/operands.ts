// How a kernel addresses the planes of one operand. The memory plan gives every channel its own plane offset;
// when the offsets form an arithmetic sequence the kernel computes them (`base + c * step`), otherwise it reads
// a `static const` table. Channel-routed operands (after split/concat/shuffle) are read in place either way.

import type { Placement } from '../../compiler/plan/types.ts';

export class OffsetTables {
  private readonly byKey = new Map<string, string>();
  private readonly decls: string[] = [];

  constructor(private readonly prefix: string) {}

  /** Name of a table holding `offsets` (identical tables are shared). */
  table(offsets: readonly number[]): string {
    const key = offsets.join(',');
    let name = this.byKey.get(key);
    if (!name) {
      name = `${this.prefix}_offsets_${this.byKey.size}`;
      this.byKey.set(key, name);
      const type = Math.max(...offsets) < 2 ** 31 ? 'int32_t' : 'int64_t';
      const rows: string[] = [];
      for (let i = 0; i < offsets.length; i += 16) rows.push('  ' + offsets.slice(i, i + 16).join(', '));
      this.decls.push(`static const ${type} ${name}[${offsets.length}] = {\n${rows.join(',\n')}\n};`);
    }
    return name;
  }

  /** Name of a table of affine runs, rows {from, to, base, step} (identical tables are shared). */
  runTable(runs: readonly Omit<AffineRun, 'at'>[]): string {
    const key = 'runs:' + runs.map((r) => `${r.from},${r.to},${r.base},${r.step}`).join(';');
    let name = this.byKey.get(key);
    if (!name) {
      name = `${this.prefix}_runs_${this.byKey.size}`;
      this.byKey.set(key, name);
      const rows = runs.map((r) => `  { ${r.from}, ${r.to}, ${r.base}, ${r.step} }`);
      this.decls.push(`static const int32_t ${name}[${runs.length}][4] = {\n${rows.join(',\n')}\n};`);
    }
    return name;
  }

  declarations(): string[] {
    return this.decls;
  }
}

export interface ChannelAddressing {
  /** C expression for the float offset of channel `index` (a C expression) in batch item 0. */
  at(index: string): string;
  readonly batchStride: number;
  readonly affine: boolean;
}

/** If offsets[c] = base + c * step for every c, returns [base, step]. */
export function affineForm(offsets: readonly number[]): [number, number] | undefined {
  if (offsets.length === 0) return undefined;
  const base = offsets[0];
  const step = offsets.length > 1 ? offsets[1] - base : 0;
  for (let c = 0; c < offsets.length; c++) if (offsets[c] !== base + c * step) return undefined;
  return [base, step];
}

export function addressing(offsets: readonly number[], batchStride: number, tables: OffsetTables): ChannelAddressing {
  const affine = affineForm(offsets);
  if (affine) {
    const [base, step] = affine;
    const scaled = (i: string) => (step === 0 ? '0' : step === 1 ? `(${i})` : `(${i}) * ${step}`);
    return { at: (i) => (base === 0 ? scaled(i) : `${base} + ${scaled(i)}`), batchStride, affine: true };
  }
  // The table is declared only if a kernel actually indexes it (some kernels loop over affine stretches instead).
  return { at: (i) => `${tables.table(offsets)}[${i}]`, batchStride, affine: false };
}

export function placementAddressing(p: Placement, tables: OffsetTables): ChannelAddressing {
  return addressing(p.channelOffsets, p.batchStride, tables);
}

/** A stretch of channels [from, to) whose offsets are affine: offset(k) = at(k) for k in the stretch. */
export interface AffineRun {
  readonly from: number;
  readonly to: number;
  readonly base: number;
  readonly step: number;
  at(index: string): string;
}

/**
 * Splits `offsets` into maximal affine stretches, or returns undefined when there would be more than `maxRuns`.
 * Kernels loop once per stretch with computed addresses: gcc vectorises those loops far better than loops that
 * read a table (with a table it vectorises the channel loop with gathers, ~3x slower on 1×1 convs).
 */
export function affineRuns(offsets: readonly number[], maxRuns = Infinity): AffineRun[] | undefined {
  const runs: AffineRun[] = [];
  let from = 0;
  while (from < offsets.length) {
    let to = from + 1;
    const step = to < offsets.length ? offsets[to] - offsets[from] : 0;
    while (to < offsets.length && offsets[to] - offsets[to - 1] === step) to++;
    const first = offsets[from];
    const base = first - from * step;
    runs.push({ from, to, base, step, at: (i) => (step === 0 ? `${first}` : `${base} + (${i}) * ${step}`) });
    if (runs.length > maxRuns) return undefined;
    from = to;
  }
  return runs;
}
