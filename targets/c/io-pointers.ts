// Graph inputs and outputs are separate caller pointers in `<name>_run_io(inputs, outputs, arena)`. The memory
// plan places them one after another in one 'input' and one 'output' buffer; this rebases each such placement
// onto its own pointer, so kernels address `inputs[k]` / `outputs[k]` from 0 and the caller's arrays can live
// anywhere. (The plan never lets one view span two graph inputs or outputs.)

import { CompileError } from '../../compiler/ir/errors.ts';
import type { Graph } from '../../compiler/ir/types.ts';
import { numel } from '../../compiler/ir/types.ts';
import type { MemoryPlan, Placement } from '../../compiler/plan/types.ts';

export interface IoLayout {
  /** The plan with every input/output placement relative to its own pointer. */
  readonly plan: MemoryPlan;
  /** C expression (inside `<name>_run_io`) of the buffer a value's placement is relative to. */
  pointerOf(id: number): string;
  /** Floats of each graph input / output, in graph order. */
  readonly inputSizes: readonly number[];
  readonly outputSizes: readonly number[];
}

function starts(sizes: readonly number[]): number[] {
  const out: number[] = [];
  let at = 0;
  for (const s of sizes) {
    out.push(at);
    at += s;
  }
  return out;
}

export function ioLayout(graph: Graph, plan: MemoryPlan): IoLayout {
  const sizes = (ids: readonly number[]) => ids.map((id) => numel(graph.values.get(id)!.type.shape));
  const inputSizes = sizes(graph.inputs);
  const outputSizes = sizes(graph.outputs);
  const bases = { input: starts(inputSizes), output: starts(outputSizes) };
  const lengths = { input: inputSizes, output: outputSizes };
  const pointers = new Map<number, string>();
  const placements = new Map<number, Placement>();
  for (const [id, p] of plan.placements) {
    if (p.buffer === 'arena') {
      placements.set(id, p);
      continue;
    }
    const buffer = p.buffer;
    const first = p.channelOffsets[0] ?? 0;
    const k = Math.max(0, bases[buffer].findIndex((b, i) => first >= b && first < b + lengths[buffer][i]));
    const base = bases[buffer][k] ?? 0;
    if (p.channelOffsets.some((o) => o < base || o >= base + lengths[buffer][k])) {
      throw new CompileError(`a value spans two graph ${buffer}s in the memory plan`, { kind: 'internal' });
    }
    pointers.set(id, `${buffer}s[${k}]`);
    placements.set(id, { ...p, channelOffsets: p.channelOffsets.map((o) => o - base) });
  }
  return {
    plan: { ...plan, placements },
    pointerOf: (id) => pointers.get(id) ?? 'arena_f',
    inputSizes,
    outputSizes,
  };
}
