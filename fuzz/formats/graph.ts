// Random valid graphs: seeded ShuffleNet-like networks (both shuffle spellings, odd widths, batch 1-3, chunk as
// slices or a split) compiled for c, neon (under qemu) or wasm, built, run, and compared with the reference
// interpreter on the same input. A refusal here is a finding too: every graph is valid and made of supported ops.
// Not wgsl: cases run in worker threads, and Dawn's Node addon aborted the whole process from a worker after
// ~40 cases (napi_throw in mapAsync); wgsl runs the same kind of graphs in its own tests and the node-test suite.

import { compileGraph } from '../../api/compile.ts';
import { loadCompiled } from '../../api/load-compiled.ts';
import { runGraph } from '../../compiler/interpreter/run-graph.ts';
import { randomInput, randomOptions, shuffleNetLike } from '../../test/compiler/passes/shufflenet-like.ts';
import type { FuzzFormat, FuzzInput } from '../format.ts';
import type { Random } from '../random.ts';

const TARGETS = ['c', 'neon', 'wasm'];

function generate(r: Random): FuzzInput {
  const seed = 1 + r.int(1_000_000);
  const target = r.pick(TARGETS);
  return { bytes: new TextEncoder().encode(JSON.stringify({ seed, target })), mutation: `graph seed ${seed} on ${target}` };
}

async function consume({ bytes }: FuzzInput): Promise<void> {
  const { seed, target } = JSON.parse(new TextDecoder().decode(bytes)) as { seed: number; target: string };
  const graph = shuffleNetLike(seed, randomOptions(seed));
  const input = randomInput(graph, seed);
  const expected = runGraph(graph, input)[0];
  let result;
  try {
    result = await compileGraph(graph, { target, name: 'net', warn: () => {}, log: () => {} });
  } catch (e) {
    throw new Error(`a valid graph was refused: ${(e as Error).message}`);
  }
  const model = await loadCompiled(result);
  try {
    const got = await model.run(input[0]);
    let worst = 0;
    for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i] - expected[i]) / (1 + Math.abs(expected[i])));
    if (!(worst <= 1e-4) || got.length !== expected.length) throw new Error(`${target} differs from the interpreter by ${worst}`);
  } finally {
    model.dispose();
  }
}

export const graphFormat: FuzzFormat = { name: 'graph', generate, consume };
