// ShuffleNetV2 graphs built directly with GraphBuilder, independent of every frontend, for the memory-plan and
// cost-analysis tests. Two forms:
//  - 'torchvision': what importing torchvision's BN-preserved ONNX export gives (conv without bias, BatchNorm,
//    ReLU, channel split as two Slices, shuffle as Reshape -> Transpose -> Reshape, mean over H,W, Gemm);
//  - 'routed': what the pass pipeline should leave (BN folded into conv bias, ReLU fused, channel split/concat
//    and channelShuffle as view nodes, globalAvgPool, flatten reshape, Gemm).
// The architecture is restated here from the paper / torchvision so golden figures (params, MACs) can be checked.

import { GraphBuilder } from '../../../compiler/ir/graph-builder.ts';
import type { Activation, Graph, Op } from '../../../compiler/ir/types.ts';

export type ShuffleNetWidth = 0.5 | 1 | 1.5 | 2;

export const STAGE_CHANNELS: Record<ShuffleNetWidth, readonly number[]> = {
  0.5: [24, 48, 96, 192, 1024],
  1: [24, 116, 232, 464, 1024],
  1.5: [24, 176, 352, 704, 1024],
  2: [24, 244, 488, 976, 2048],
};

export interface ShuffleNetOptions {
  width: ShuffleNetWidth;
  form: 'torchvision' | 'routed';
  batch?: number;
  size?: number;
  classes?: number;
}

const zeros = (n: number) => new Float32Array(n);

export function buildShuffleNetV2(opts: ShuffleNetOptions): Graph {
  const { width, form, batch = 1, size = 224, classes = 1000 } = opts;
  const routed = form === 'routed';
  const b = new GraphBuilder();
  const x = b.addValue('input', { dtype: 'f32', shape: [batch, 3, size, size] });
  b.inputs = [x];
  const shapeOf = (id: number) => b.value(id).type.shape;

  /** conv (+BN) (+ReLU): torchvision form keeps BN and ReLU as nodes, routed form folds/fuses them. */
  const convUnit = (name: string, input: number, out: number, k: number, stride: number, groups: number, relu: boolean): number => {
    const cin = shapeOf(input)[1];
    const w = b.addConst(`${name}.weight`, [out, cin / groups, k, k], zeros((out * cin * k * k) / groups));
    const pad = (k - 1) / 2;
    const conv = (activation: Activation): Op => ({ kind: 'conv2d', kernel: [k, k], stride: [stride, stride], pads: [pad, pad, pad, pad], dilations: [1, 1], groups, activation });
    if (routed) {
      const bias = b.addConst(`${name}.bias`, [out], zeros(out));
      return b.addNode(conv(relu ? 'relu' : 'none'), [input, w, bias], `Conv ${name}`)[0];
    }
    let y = b.addNode(conv('none'), [input, w], `Conv ${name}`)[0];
    const bn = ['weight', 'bias', 'running_mean', 'running_var'].map((p) => b.addConst(`${name}.bn.${p}`, [out], zeros(out)));
    y = b.addNode({ kind: 'batchNorm', epsilon: 1e-5 }, [y, ...bn], `BatchNormalization ${name}.bn`)[0];
    return relu ? b.addNode({ kind: 'relu' }, [y], `Relu ${name}.relu`)[0] : y;
  };

  const splitHalves = (name: string, input: number): [number, number] => {
    const c = shapeOf(input)[1];
    if (routed) {
      const [a, bb] = b.addNode({ kind: 'split', axis: 1, sizes: [c / 2, c / 2] }, [input], `Split ${name}`);
      return [a, bb];
    }
    const half = (start: number, end: number, tag: string) =>
      b.addNode({ kind: 'slice', axes: [1], starts: [start], ends: [end], steps: [1] }, [input], `Slice ${name}.${tag}`)[0];
    return [half(0, c / 2, 'a'), half(c / 2, c, 'b')];
  };

  const concatShuffle = (name: string, a: number, c2: number): number => {
    const cat = b.addNode({ kind: 'concat', axis: 1 }, [a, c2], `Concat ${name}`)[0];
    const [n, c, h, w] = shapeOf(cat);
    if (routed) return b.addNode({ kind: 'channelShuffle', groups: 2 }, [cat], `ChannelShuffle ${name}`)[0];
    const r = b.addNode({ kind: 'reshape', shape: [n, 2, c / 2, h, w] }, [cat], `Reshape ${name}.a`)[0];
    const t = b.addNode({ kind: 'transpose', perm: [0, 2, 1, 3, 4] }, [r], `Transpose ${name}`)[0];
    return b.addNode({ kind: 'reshape', shape: [n, c, h, w] }, [t], `Reshape ${name}.b`)[0];
  };

  const channels = STAGE_CHANNELS[width];
  let y = convUnit('conv1', x, channels[0], 3, 2, 1, true);
  y = b.addNode({ kind: 'maxPool', kernel: [3, 3], stride: [2, 2], pads: [1, 1, 1, 1], ceilMode: false }, [y], 'MaxPool maxpool')[0];
  [4, 8, 4].forEach((repeats, s) => {
    const out = channels[s + 1];
    const half = out / 2;
    for (let i = 0; i < repeats; i++) {
      const name = `stage${s + 2}.${i}`;
      const cin = shapeOf(y)[1];
      if (i === 0) {
        let p = convUnit(`${name}.branch1.0`, y, cin, 3, 2, cin, false);
        p = convUnit(`${name}.branch1.2`, p, half, 1, 1, 1, true);
        let q = convUnit(`${name}.branch2.0`, y, half, 1, 1, 1, true);
        q = convUnit(`${name}.branch2.3`, q, half, 3, 2, half, false);
        q = convUnit(`${name}.branch2.5`, q, half, 1, 1, 1, true);
        y = concatShuffle(name, p, q);
      } else {
        const [x1, x2] = splitHalves(name, y);
        let q = convUnit(`${name}.branch2.0`, x2, half, 1, 1, 1, true);
        q = convUnit(`${name}.branch2.3`, q, half, 3, 1, half, false);
        q = convUnit(`${name}.branch2.5`, q, half, 1, 1, 1, true);
        y = concatShuffle(name, x1, q);
      }
    }
  });
  y = convUnit('conv5', y, channels[4], 1, 1, 1, true);
  const [n, c] = shapeOf(y);
  if (routed) {
    y = b.addNode({ kind: 'globalAvgPool' }, [y], 'GlobalAveragePool pool')[0];
    y = b.addNode({ kind: 'reshape', shape: [n, c] }, [y], 'Flatten flatten')[0];
  } else {
    y = b.addNode({ kind: 'reduceMean', axes: [2, 3], keepDims: false }, [y], 'ReduceMean mean')[0];
  }
  const fcW = b.addConst('fc.weight', [classes, c], zeros(classes * c));
  const fcB = b.addConst('fc.bias', [classes], zeros(classes));
  y = b.addNode({ kind: 'gemm', transA: false, transB: true, alpha: 1, beta: 1 }, [y, fcW, fcB], 'Gemm fc')[0];
  b.outputs = [y];
  return b.build();
}
