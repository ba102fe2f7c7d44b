// `snv2c bench --guidelines`: the paper's four controlled experiments (Tables 1-4) compiled for one target and
// timed here, each row with its FLOPs (from the cost model of the compiled graph) and the paper's own speeds.

import { analyzeGraph, compileGraph } from '../../api/compile.ts';
import { CompileError } from '../../compiler/ir/errors.ts';
import type { Graph } from '../../compiler/ir/types.ts';
import { benchInput, checkCount, headline } from '../bench-model.ts';
import { startInstrument, type Instrument } from '../instruments.ts';
import { checkTargetRunnable, timingCaveat } from '../preflight.ts';
import type { Progress } from '../timing/progress.ts';
import { sample } from '../timing/sampler.ts';
import { imagesPerSecond } from '../timing/statistics.ts';
import { g1Network, g2Network, g3Network, g4Network, type NetworkOptions } from './networks.ts';
import { TABLE_1, TABLE_2, TABLE_3, TABLE_4, type PaperRow } from './paper-tables.ts';

export interface GuidelineRow {
  readonly config: string;
  readonly flops: number;
  /** null when the target cannot compile the row's network (the reason is in the notes). */
  readonly imagesPerSecond: number | null;
  /** The paper's GPU figure (batches/s) and ARM figure (images/s) for this configuration. */
  readonly paperGpu: number;
  readonly paperArm: number;
}

export interface GuidelineTables {
  readonly target: string;
  readonly g1: readonly GuidelineRow[];
  readonly g2: readonly GuidelineRow[];
  readonly g3: readonly GuidelineRow[];
  readonly g4: readonly GuidelineRow[];
}

export const TABLE_KEYS = ['g1', 'g2', 'g3', 'g4'] as const;
export type TableKey = (typeof TABLE_KEYS)[number];

export interface Experiment {
  readonly label: string;
  readonly paper: PaperRow<unknown>;
  /** Builds the row's network (the paper's sizes by default). */
  readonly network: (o: NetworkOptions) => Graph;
}

/** Each table's rows as networks. */
export function guidelineExperiments(): Record<TableKey, Experiment[]> {
  const rows = <C>(table: readonly PaperRow<C>[], build: (c: C, o: NetworkOptions) => Graph) =>
    table.map((paper) => ({ label: paper.label, paper: paper as PaperRow<unknown>, network: (o: NetworkOptions) => build(paper.config, o) }));
  return { g1: rows(TABLE_1, g1Network), g2: rows(TABLE_2, g2Network), g3: rows(TABLE_3, g3Network), g4: rows(TABLE_4, g4Network) };
}

/** Row label with its channel configuration, e.g. "1:2 (c1,c2)=(90,180)". */
export function configLabel(key: TableKey, paper: PaperRow<unknown>): string {
  const c = paper.config as Record<string, number>;
  return key === 'g1' ? `${paper.label} (c1,c2)=(${c.c1},${c.c2})` : `${paper.label} c=${c.channels}`;
}

export interface GuidelineOptions {
  readonly target: string;
  readonly runs: number;
  readonly warmup: number;
  readonly network?: NetworkOptions;
  readonly progress?: Progress;
  readonly signal?: AbortSignal;
}

export async function runGuidelines(opts: GuidelineOptions): Promise<GuidelineTables & { notes: string[] }> {
  const runs = checkCount('--runs', opts.runs, 1);
  const warmup = checkCount('--warmup', opts.warmup, 0);
  checkTargetRunnable(opts.target);
  const experiments = guidelineExperiments();
  const tables = {} as Record<TableKey, GuidelineRow[]>;
  const caveat = timingCaveat(opts.target);
  const notes = caveat ? [caveat] : [];
  for (const key of TABLE_KEYS) {
    tables[key] = await runTable(key, experiments[key], opts, { runs, warmup }, notes);
  }
  opts.progress?.done();
  return { target: opts.target, ...tables, notes };
}

/**
 * One table: every row compiled and started, then all rows timed together, interleaved call by call, so a busy
 * stretch of a shared machine slows every row alike and the ratios between rows hold.
 */
async function runTable(key: TableKey, rows: Experiment[], opts: GuidelineOptions, counts: { runs: number; warmup: number }, notes: string[]): Promise<GuidelineRow[]> {
  const table: GuidelineRow[] = [];
  const started: { row: number; instrument: Instrument; input: Float32Array; label: string }[] = [];
  try {
    for (const row of rows) {
      const graph = row.network(opts.network ?? {});
      const label = `${key.toUpperCase()} ${row.label}`;
      const result = await compileGraph(graph, { target: opts.target, name: 'model', warn: () => undefined }).catch((e: CompileError) => e);
      const flops = result instanceof CompileError ? (await analyzeGraph(graph, { warn: () => undefined })).report.after.totals.flops : result.report.after.totals.flops;
      table.push({ config: configLabel(key, row.paper), flops, imagesPerSecond: null, paperGpu: row.paper.paperGpu, paperArm: row.paper.paperArm });
      if (result instanceof CompileError) {
        // A kernel this target lacks: the row stays in the table, unmeasured, and the note says why.
        if (result.kind === 'internal') throw result;
        notes.push(`${label} not measured: ${result.message}`);
        continue;
      }
      opts.progress?.update(table.length, rows.length, `compiling ${key.toUpperCase()}`);
      const input = benchInput(result.graph.values.get(result.graph.inputs[0])!.type.shape);
      started.push({ row: table.length - 1, instrument: await startInstrument(result), input, label });
    }
    const contenders = started.map((s) => ({ label: s.label, call: () => s.instrument.call(s.input) }));
    const timed = await sample(contenders, { ...counts, progress: opts.progress, signal: opts.signal });
    timed.forEach((t, i) => (table[started[i].row] = { ...table[started[i].row], imagesPerSecond: imagesPerSecond(headline(t).medianMs, 1) }));
    return table;
  } finally {
    for (const s of started) s.instrument.dispose();
  }
}

/** The `--guidelines --json` document: `{ target, g1: [...], g2: [...], g3: [...], g4: [...] }`. */
export function guidelinesJson(t: GuidelineTables) {
  return { target: t.target, g1: t.g1, g2: t.g2, g3: t.g3, g4: t.g4 };
}
