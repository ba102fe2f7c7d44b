// Builds the IR for a validated spec and matching weights: the same nodes the ONNX frontend produces for
// torchvision's export (BatchNorm kept separate for the folding pass; the shuffle as reshape/transpose/reshape,
// which the passes recognise). Node origins are torchvision module names.

import { GraphBuilder } from '../../ir/graph-builder.ts';
import type { Graph } from '../../ir/types.ts';
import type { WeightMap } from '../weights/weight-map.ts';
import type { LayerOps } from './shufflenet-architecture.ts';
import { walkShuffleNet } from './shufflenet-architecture.ts';
import type { ShuffleNetSpec } from './shufflenet-spec.ts';

/** PyTorch's BatchNorm2d default. */
const BN_EPSILON = 1e-5;

/** `weights` must already match stateDictLayout(spec) (see checkWeights). */
export function buildSpecGraph(spec: ShuffleNetSpec, weights: WeightMap): Graph {
  const b = new GraphBuilder();
  const param = (key: string): number => {
    const t = weights.get(key)!;
    return b.addConst(key, t.shape, t.data);
  };
  const shapeOf = (x: number): readonly number[] => b.value(x).type.shape;

  const ops: LayerOps<number> = {
    conv(x, name, layer) {
      const groups = layer.depthwise ? shapeOf(x)[1] : 1;
      const { kernel: k, stride: s, pad: p } = layer;
      const op = { kind: 'conv2d', kernel: [k, k], stride: [s, s], pads: [p, p, p, p], dilations: [1, 1], groups, activation: 'none' } as const;
      const bias = layer.bias ? [param(`${name}.bias`)] : [];
      return b.addNode(op, [x, param(`${name}.weight`), ...bias], name)[0];
    },
    batchNorm(x, name) {
      const inputs = [x, ...['weight', 'bias', 'running_mean', 'running_var'].map((p) => param(`${name}.${p}`))];
      return b.addNode({ kind: 'batchNorm', epsilon: BN_EPSILON }, inputs, name)[0];
    },
    relu: (x, name) => b.addNode({ kind: 'relu' }, [x], name)[0],
    hardSwish: (x, name) => b.addNode({ kind: 'hardSwish' }, [x], name)[0],
    sigmoid: (x, name) => b.addNode({ kind: 'sigmoid' }, [x], name)[0],
    hardSigmoid: (x, name) => b.addNode({ kind: 'hardSigmoid', alpha: 1 / 6, beta: 0.5 }, [x], name)[0],
    globalPool: (x, name) => b.addNode({ kind: 'globalAvgPool' }, [x], name)[0],
    scale: (x, gate, name) => b.addNode({ kind: 'binary', fn: 'mul' }, [x, gate], name)[0],
    add: (x, y, name) => b.addNode({ kind: 'binary', fn: 'add' }, [x, y], name)[0],
    maxPool: (x, name) => b.addNode({ kind: 'maxPool', kernel: [3, 3], stride: [2, 2], pads: [1, 1, 1, 1], ceilMode: false }, [x], name)[0],
    chunk(x, name) {
      const half = shapeOf(x)[1] / 2;
      const [a, c] = b.addNode({ kind: 'split', axis: 1, sizes: [half, half] }, [x], name);
      return [a, c];
    },
    cat: (x, y, name) => b.addNode({ kind: 'concat', axis: 1 }, [x, y], name)[0],
    channelShuffle(x, name) {
      const [n, c, h, w] = shapeOf(x);
      const grouped = b.addNode({ kind: 'reshape', shape: [n, 2, c / 2, h, w] }, [x], `${name}.view`)[0];
      const swapped = b.addNode({ kind: 'transpose', perm: [0, 2, 1, 3, 4] }, [grouped], `${name}.transpose`)[0];
      return b.addNode({ kind: 'reshape', shape: [n, c, h, w] }, [swapped], `${name}.flatten`)[0];
    },
    globalMean: (x, name) => b.addNode({ kind: 'reduceMean', axes: [2, 3], keepDims: false }, [x], name)[0],
    linear(x, name) {
      const op = { kind: 'gemm', transA: false, transB: true, alpha: 1, beta: 1 } as const;
      return b.addNode(op, [x, param(`${name}.weight`), param(`${name}.bias`)], name, ['output'])[0];
    },
  };

  const input = b.addValue('input', { dtype: 'f32', shape: spec.input_shape });
  b.inputs = [input];
  b.outputs = [walkShuffleNet(spec, input, ops)];
  return b.build();
}
