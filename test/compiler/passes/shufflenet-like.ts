// Seeded random ShuffleNet-like graphs for pass tests, built the way exporters spell them (unfolded BN,
// separate relus, shuffles as reshape/transpose chains in torchvision's or Megvii's style, chunk as two
// slices or one split), with random widths (odd branch widths included), BN statistics and batch sizes.

import { GraphBuilder } from '../../../compiler/ir/graph-builder.ts';
import type { Graph } from '../../../compiler/ir/types.ts';

/** mulberry32: small, seedable, good enough for test data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type ShuffleStyle = 'torchvision' | 'megvii';

export interface ShuffleNetLikeOptions {
  readonly style: ShuffleStyle;
  readonly batch: number;
  /** 'slice' exports torch.chunk as two Slices, 'split' as one Split (torchvision style only). */
  readonly chunk: 'slice' | 'split';
}

export function randomOptions(seed: number): ShuffleNetLikeOptions {
  const r = rng(seed * 7919 + 1);
  return { style: r() < 0.5 ? 'torchvision' : 'megvii', batch: 1 + Math.floor(r() * 3), chunk: r() < 0.5 ? 'slice' : 'split' };
}

class Net {
  readonly b = new GraphBuilder();
  private count = 0;
  constructor(readonly r: () => number) {}

  private name(what: string): string {
    return `${what}${this.count++}`;
  }

  channels(x: number): number {
    return this.b.value(x).type.shape[1];
  }

  private uniform(n: number, lo: number, hi: number): Float32Array {
    return Float32Array.from({ length: n }, () => lo + (hi - lo) * this.r());
  }

  conv(x: number, out: number, k: number, stride: number, groups = 1): number {
    const cin = this.channels(x);
    const fanIn = (cin / groups) * k * k;
    const bound = Math.sqrt(3 / fanIn);
    const w = this.b.addConst(this.name('w'), [out, cin / groups, k, k], this.uniform(out * fanIn, -bound, bound));
    const inputs = [x, w];
    if (this.r() < 0.5) inputs.push(this.b.addConst(this.name('bias'), [out], this.uniform(out, -0.2, 0.2)));
    const p = (k - 1) / 2;
    const op = { kind: 'conv2d', kernel: [k, k], stride: [stride, stride], pads: [p, p, p, p], dilations: [1, 1], groups, activation: 'none' } as const;
    return this.b.addNode(op, inputs, this.name('Conv '))[0];
  }

  bn(x: number): number {
    const c = this.channels(x);
    const params = [this.uniform(c, 0.5, 1.5), this.uniform(c, -0.3, 0.3), this.uniform(c, -0.3, 0.3), this.uniform(c, 0.5, 2)];
    const ids = params.map((p, i) => this.b.addConst(this.name(['gamma', 'beta', 'mean', 'var'][i]), [c], p));
    return this.b.addNode({ kind: 'batchNorm', epsilon: 1e-5 }, [x, ...ids], this.name('BN '))[0];
  }

  relu(x: number): number {
    return this.b.addNode({ kind: 'relu' }, [x], this.name('Relu '))[0];
  }

  reshape(x: number, shape: number[]): number {
    return this.b.addNode({ kind: 'reshape', shape }, [x], this.name('Reshape '))[0];
  }

  shape(x: number): readonly number[] {
    return this.b.value(x).type.shape;
  }
}

/** torchvision: Reshape [N,2,C/2,H,W] -> Transpose [0,2,1,3,4] -> Reshape [N,C,H,W]. */
function torchvisionShuffle(net: Net, x: number): number {
  const [n, c, h, w] = net.shape(x);
  const grouped = net.reshape(x, [n, 2, c / 2, h, w]);
  const swapped = net.b.addNode({ kind: 'transpose', perm: [0, 2, 1, 3, 4] }, [grouped], 'Transpose')[0];
  return net.reshape(swapped, [n, c, h, w]);
}

/** Megvii: Reshape [N*C/2,2,H*W] -> Transpose [1,0,2] -> Reshape [2,N,C/2,H,W] -> Gather 0 / Gather 1. */
function megviiShuffleSplit(net: Net, x: number): [number, number] {
  const [n, c, h, w] = net.shape(x);
  const rows = net.reshape(x, [(n * c) / 2, 2, h * w]);
  const swapped = net.b.addNode({ kind: 'transpose', perm: [1, 0, 2] }, [rows], 'Transpose')[0];
  const halves = net.reshape(swapped, [2, n, c / 2, h, w]);
  const pick = (i: number) => net.b.addNode({ kind: 'gather', axis: 0 }, [halves, net.b.addConst(`index${i}`, [], Float64Array.of(i))], `Gather ${i}`)[0];
  return [pick(0), pick(1)];
}

function chunk(net: Net, x: number, how: 'slice' | 'split'): [number, number] {
  const c = net.channels(x);
  const half = c / 2;
  if (how === 'split') {
    const [a, b] = net.b.addNode({ kind: 'split', axis: 1, sizes: [half, half] }, [x], 'Split');
    return [a, b];
  }
  const slice = (start: number, end: number) => net.b.addNode({ kind: 'slice', axes: [1], starts: [start], ends: [end], steps: [1] }, [x], 'Slice')[0];
  return [slice(0, half), slice(half, c)];
}

function branchMain(net: Net, x: number, out: number, stride: number): number {
  const mid = net.relu(net.bn(net.conv(x, out, 1, 1)));
  const dw = net.bn(net.conv(mid, out, 3, stride, out));
  return net.relu(net.bn(net.conv(dw, out, 1, 1)));
}

function downsampleUnit(net: Net, x: number, left: number, right: number, opts: ShuffleNetLikeOptions): number {
  const cin = net.channels(x);
  const proj = net.relu(net.bn(net.conv(net.bn(net.conv(x, cin, 3, 2, cin)), left, 1, 1)));
  const joined = net.b.addNode({ kind: 'concat', axis: 1 }, [proj, branchMain(net, x, right, 2)], 'Concat')[0];
  return opts.style === 'torchvision' ? torchvisionShuffle(net, joined) : joined;
}

function basicUnit(net: Net, x: number, opts: ShuffleNetLikeOptions): number {
  const half = net.channels(x) / 2;
  if (opts.style === 'megvii') {
    const [passThrough, main] = megviiShuffleSplit(net, x);
    return net.b.addNode({ kind: 'concat', axis: 1 }, [passThrough, branchMain(net, main, half, 1)], 'Concat')[0];
  }
  const [passThrough, main] = chunk(net, x, opts.chunk);
  return torchvisionShuffle(net, net.b.addNode({ kind: 'concat', axis: 1 }, [passThrough, branchMain(net, main, half, 1)], 'Concat')[0]);
}

/** A small random ShuffleNetV2-like classifier; returns the graph (one input, logits output). */
export function shuffleNetLike(seed: number, opts: ShuffleNetLikeOptions = randomOptions(seed)): Graph {
  const r = rng(seed);
  const net = new Net(r);
  const size = 16 + 8 * Math.floor(r() * 2);
  const x = net.b.addValue('image', { dtype: 'f32', shape: [opts.batch, 3, size, size] });
  net.b.inputs = [x];
  const stem = 4 + Math.floor(r() * 6);
  let y = net.relu(net.bn(net.conv(x, stem, 3, 2)));
  y = net.b.addNode({ kind: 'maxPool', kernel: [3, 3], stride: [2, 2], pads: [1, 1, 1, 1], ceilMode: false }, [y], 'MaxPool')[0];
  const stages = 1 + Math.floor(r() * 2);
  for (let s = 0; s < stages; s++) {
    // Megvii's shuffle needs C divisible by 4; torchvision's only an even C, so its branches may be odd.
    const unit = opts.style === 'megvii' ? 2 * (1 + Math.floor(r() * 4)) : 3 + 2 * Math.floor(r() * 4);
    y = downsampleUnit(net, y, unit, unit, opts);
    const repeats = 1 + Math.floor(r() * 2);
    for (let i = 0; i < repeats; i++) y = basicUnit(net, y, opts);
  }
  y = net.relu(net.bn(net.conv(y, 8 + Math.floor(r() * 8), 1, 1)));
  const [n, c] = net.shape(y);
  const pooling = Math.floor(r() * 3);
  if (pooling === 0) y = net.b.addNode({ kind: 'globalAvgPool' }, [y], 'GlobalAveragePool')[0];
  else if (pooling === 1) y = net.b.addNode({ kind: 'reduceMean', axes: [2, 3], keepDims: true }, [y], 'ReduceMean')[0];
  else {
    const [, , h, w] = net.shape(y);
    y = net.b.addNode({ kind: 'avgPool', kernel: [h, w], stride: [1, 1], pads: [0, 0, 0, 0], ceilMode: false, countIncludePad: true }, [y], 'AveragePool')[0];
  }
  y = net.reshape(y, [n, c]);
  y = net.b.addNode({ kind: 'identity' }, [y], 'Dropout')[0];
  const classes = 5;
  const bound = Math.sqrt(3 / c);
  if (r() < 0.5) {
    const w = net.b.addConst('fc.weight', [classes, c], Float32Array.from({ length: classes * c }, () => (2 * r() - 1) * bound));
    const bias = net.b.addConst('fc.bias', [classes], Float32Array.from({ length: classes }, () => r() - 0.5));
    y = net.b.addNode({ kind: 'gemm', transA: false, transB: true, alpha: 1, beta: 1 }, [y, w, bias], 'Gemm')[0];
  } else {
    const w = net.b.addConst('fc.weight', [c, classes], Float32Array.from({ length: classes * c }, () => (2 * r() - 1) * bound));
    y = net.b.addNode({ kind: 'matMul' }, [y, w], 'MatMul')[0];
    if (r() < 0.7) y = net.b.addNode({ kind: 'binary', fn: 'add' }, [y, net.b.addConst('fc.bias', [classes], Float32Array.from({ length: classes }, () => r() - 0.5))], 'Add')[0];
  }
  net.b.outputs = [y];
  return net.b.build();
}

export function randomInput(graph: Graph, seed: number): Float32Array[] {
  const r = rng(seed ^ 0x5bd1e995);
  return graph.inputs.map((id) => {
    const n = graph.values.get(id)!.type.shape.reduce((a, b) => a * b, 1);
    return Float32Array.from({ length: n }, () => 2 * r() - 1);
  });
}
