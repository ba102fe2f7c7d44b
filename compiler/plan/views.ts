// Which nodes are pure channel bookkeeping under the planar layout, and the placements their outputs get.

import type { Graph, Node } from '../ir/types.ts';
import type { Placement } from './types.ts';

const planeSize = (shape: readonly number[]): number => shape.slice(2).reduce((a, b) => a * b, 1);

/**
 * True when `node` only relabels channels (or spatial dims inside a plane) and so needs no code:
 * split/concat on axis 1, channelShuffle, identity, and reshapes that keep N and C and the plane size
 * (e.g. [N,C,1,1] -> [N,C], the flatten before the classifier).
 */
export function isViewNode(graph: Graph, node: Node): boolean {
  const rankOf = (id: number) => graph.values.get(id)!.type.shape.length;
  const inShape = graph.values.get(node.inputs[0])?.type.shape;
  if (!inShape || inShape.length < 2 || graph.values.get(node.inputs[0])!.type.dtype !== 'f32') return false;
  switch (node.op.kind) {
    case 'identity':
    case 'channelShuffle':
      return true;
    case 'split':
    case 'concat':
      return (node.op.axis === 1 || node.op.axis === 1 - rankOf(node.inputs[0])) && node.inputs.every((id) => !graph.values.get(id)!.data);
    case 'reshape': {
      const out = node.op.shape;
      return out.length >= 2 && out[0] === inShape[0] && out[1] === inShape[1] && planeSize(out) === planeSize(inShape);
    }
    default:
      return false;
  }
}

/** Output placements of a view node from its input placements. */
export function viewPlacements(graph: Graph, node: Node, inputs: readonly Placement[]): Placement[] {
  const op = node.op;
  const first = inputs[0];
  switch (op.kind) {
    case 'identity':
    case 'reshape':
      return [first];
    case 'split': {
      let start = 0;
      return op.sizes.map((size) => {
        const p = { ...first, channelOffsets: first.channelOffsets.slice(start, start + size) };
        start += size;
        return p;
      });
    }
    case 'concat': {
      const strides = new Set(inputs.map((p) => p.batchStride));
      const buffers = new Set(inputs.map((p) => p.buffer));
      if (strides.size !== 1 || buffers.size !== 1) throw new Error(`internal: concat ${node.origin} joins placements with different layouts`);
      return [{ ...first, channelOffsets: inputs.flatMap((p) => p.channelOffsets) }];
    }
    case 'channelShuffle': {
      // reshape [G, C/G] -> transpose -> reshape: output channel j = i * G + g takes input channel g * (C/G) + i.
      const c = first.channelOffsets.length;
      const per = c / op.groups;
      const offsets = new Array<number>(c);
      for (let g = 0; g < op.groups; g++) for (let i = 0; i < per; i++) offsets[i * op.groups + g] = first.channelOffsets[g * per + i];
      return [{ ...first, channelOffsets: offsets }];
    }
    default:
      throw new Error(`internal: ${op.kind} is not a view`);
  }
}
