// The pass pipeline: an ordered list of pure Graph -> Graph passes built from the options, with the IR
// verifier after every pass that changed the graph (so a broken rewrite is named where it happens),
// `--dump-after`, `--disable-pass` and `--time-passes`.

import type { EpilogueSupport } from './ir/conv-epilogue.ts';
import { CompileError } from './ir/errors.ts';
import { printGraph } from './ir/print.ts';
import type { Graph } from './ir/types.ts';
import { verifyGraph } from './ir/verify.ts';
import { canonicaliseDensePass } from './passes/canonicalise-dense.ts';
import { classifyConvsPass } from './passes/classify-convs.ts';
import { eliminateDeadCodePass } from './passes/eliminate-dead-code.ts';
import { foldBatchNormPass } from './passes/fold-batchnorm.ts';
import { foldConstantsPass } from './passes/fold-constants.ts';
import { fuseActivationsPass } from './passes/fuse-activations.ts';
import { fuseResidualAddPass } from './passes/fuse-residual-add.ts';
import { fuseScaleAddPass } from './passes/fuse-scale-add.ts';
import type { Pass, PassContext } from './passes/pass.ts';
import { recogniseChannelShufflePass } from './passes/recognise-channel-shuffle.ts';
import { recogniseHardActivationsPass } from './passes/recognise-hard-activations.ts';
import { removeIdentitiesPass } from './passes/remove-identities.ts';
import { routeChannelsPass } from './passes/route-channels.ts';

/**
 * The shared passes in order. Folding constants first resolves any shape arithmetic; identities go before
 * recognition so no Identity/Dropout interrupts a shuffle chain; BN must be folded before an activation can
 * fuse into its conv (written-out h-swish is recognised first), and the activation before a residual add, which
 * comes after it in the epilogue; routing canonicalises what recognition produced; dense layers and conv classes
 * are the canonical forms targets read; dead code is swept last.
 */
export const DEFAULT_PASSES: readonly Pass[] = [
  foldConstantsPass,
  removeIdentitiesPass,
  recogniseChannelShufflePass,
  foldBatchNormPass,
  recogniseHardActivationsPass,
  fuseActivationsPass,
  fuseResidualAddPass,
  fuseScaleAddPass,
  routeChannelsPass,
  canonicaliseDensePass,
  classifyConvsPass,
  eliminateDeadCodePass,
];

export const PASS_NAMES: readonly string[] = DEFAULT_PASSES.map((p) => p.name);

export interface PipelineOptions {
  /** Passes run after the shared ones (a target's own passes); their names are valid for disable/dumpAfter too. */
  readonly extraPasses?: readonly Pass[];
  /** Pass names to skip (`--disable-pass`). */
  readonly disable?: readonly string[];
  /** Pass names after which to print the IR, or 'all' (`--dump-after`). */
  readonly dumpAfter?: readonly string[] | 'all';
  /** Log each pass's time in ms (`--time-passes`). */
  readonly timePasses?: boolean;
  /** Where dumps and timings go (stderr in the CLI). */
  readonly log?: (line: string) => void;
  /** Where pass warnings go. */
  readonly warn?: (line: string) => void;
  /** Conv epilogues the target renders (the fusion passes create no others); absent: all. */
  readonly epilogues?: EpilogueSupport;
}

function checkNames(option: string, names: readonly string[], valid: readonly string[]): void {
  const unknown = names.filter((n) => !valid.includes(n));
  if (unknown.length) {
    const shown = unknown.map((n) => JSON.stringify(n.length > 60 ? n.slice(0, 57) + '...' : n)).join(', ');
    throw new CompileError(`${option}: unknown pass ${shown}; valid passes: ${valid.join(', ')}`);
  }
}

/** The passes that will run, in order, for these options (unknown names are a CompileError). */
export function buildPassList(opts: PipelineOptions = {}): Pass[] {
  const all = [...DEFAULT_PASSES, ...(opts.extraPasses ?? [])];
  const valid = all.map((p) => p.name);
  checkNames('--disable-pass', opts.disable ?? [], valid);
  if (opts.dumpAfter && opts.dumpAfter !== 'all') checkNames('--dump-after', opts.dumpAfter, valid);
  const disabled = new Set(opts.disable ?? []);
  return all.filter((p) => !disabled.has(p.name));
}

export function runPipeline(graph: Graph, opts: PipelineOptions = {}): Graph {
  const passes = buildPassList(opts);
  const log = opts.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const ctx: PassContext = { warn: opts.warn ?? ((line: string) => process.stderr.write(`warning: ${line}\n`)), epilogues: opts.epilogues };
  const dumps = (name: string) => opts.dumpAfter === 'all' || (opts.dumpAfter ?? []).includes(name);
  // A frontend bug must not be blamed on the first pass.
  verifyGraph(graph, 'import');
  let current = graph;
  let totalMs = 0;
  for (const pass of passes) {
    const start = performance.now();
    const next = pass.run(current, ctx);
    const passMs = performance.now() - start;
    const changed = next !== current;
    if (changed) verifyGraph(next, pass.name);
    const verifyMs = performance.now() - start - passMs;
    totalMs += passMs + verifyMs;
    if (opts.timePasses) {
      log(`time-passes: ${pass.name.padEnd(26)} ${passMs.toFixed(2).padStart(9)} ms${changed ? ` (verify ${verifyMs.toFixed(2)} ms)` : ' (unchanged)'}`);
    }
    if (dumps(pass.name)) log(`// IR after ${pass.name}${changed ? '' : ' (unchanged)'}\n${printGraph(next).trimEnd()}`);
    current = next;
  }
  if (opts.timePasses) log(`time-passes: ${'total'.padEnd(26)} ${totalMs.toFixed(2).padStart(9)} ms`);
  return current;
}
