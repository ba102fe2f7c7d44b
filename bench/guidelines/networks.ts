// The benchmark networks of the paper's four guideline experiments (Ma et al., ECCV 2018, section 2 and its
// appendix), built in memory through the IR builder with seeded random weights, so every target compiles them
// like any imported model. Layouts follow the paper's text:
//   G1 (Table 1): "10 building blocks ... Each block contains two convolution layers. The first contains c1 input
//       channels and c2 output channels, and the second otherwise."
//   G2 (Table 2): "stacking 10 pointwise group convolution layers".
//   G3 (Table 3): "each building block consists of from 1 to 4 1x1 convolutions, which are arranged in sequence
//       or in parallel ... Each block is repeatedly stacked for 10 times", at the FLOPs of the 1-fragment block.
//       In series, k convs of width c' with k·c'^2 = c^2 (c' = 90 for k = 2, the paper's own rounding of
//       128/sqrt 2 in Tables 1 and 2; c/2 for k = 4). In parallel, as in an Inception block, every branch reads
//       the block input and writes c/k channels, and the branches are concatenated: c^2 FLOPs with no change of c.
//   G4 (Table 4): the ResNet "bottleneck" unit, 1x1 conv, 3x3 conv, 1x1 conv "with ReLU and shortcut
//       connection", c the unit's channels and c/4 its bottleneck width (ResNet's expansion of 4), ReLU after
//       each of the first two convs and after the addition; the variants drop the ReLUs, the shortcut, or both.
// No batch norm and no classifier: the paper times the blocks alone. Convs carry a bias (the paper's AddBias).

import { GraphBuilder } from '../../compiler/ir/graph-builder.ts';
import type { Graph, Op } from '../../compiler/ir/types.ts';
import { SeededRandom } from '../../compiler/frontend/weights/seeded-random.ts';
import { INPUT_SIZE, REPEATS, type G1Config, type G2Config, type G3Config, type G4Config } from './paper-tables.ts';

export interface NetworkOptions {
  /** Input height and width (default 56, the paper's). Tests use a smaller one. */
  readonly size?: number;
  /** Blocks stacked (default 10, the paper's). */
  readonly repeats?: number;
  readonly seed?: number;
}

/** Width of each of k fragments in series at the FLOPs of one c-wide conv: c/sqrt(k) rounded down (90 for 128, k = 2). */
export function seriesWidth(channels: number, fragments: number): number {
  return Math.floor(channels / Math.sqrt(fragments));
}

class NetworkBuilder {
  readonly b = new GraphBuilder();
  private readonly random: SeededRandom;
  private layer = 0;

  constructor(channels: number, size: number, seed: number) {
    this.random = new SeededRandom(seed);
    this.b.inputs = [this.b.addValue('input', { dtype: 'f32', shape: [1, channels, size, size] })];
  }

  get input(): number {
    return this.b.inputs[0];
  }

  /** Conv k x k (same padding) with He-style random weights scaled by `gain` and a small random bias. */
  conv(x: number, outChannels: number, opts: { kernel?: number; groups?: number; relu?: boolean; gain?: number; name: string }): number {
    const inChannels = this.b.value(x).type.shape[1];
    const k = opts.kernel ?? 1;
    const groups = opts.groups ?? 1;
    const fanIn = (inChannels / groups) * k * k;
    const std = (opts.gain ?? 1) / Math.sqrt(fanIn);
    const weights = Float32Array.from({ length: outChannels * fanIn }, () => this.random.normal() * std);
    const bias = Float32Array.from({ length: outChannels }, () => this.random.normal() * 0.1);
    const id = this.layer++;
    const w = this.b.addConst(`w${id}`, [outChannels, inChannels / groups, k, k], weights);
    const bv = this.b.addConst(`b${id}`, [outChannels], bias);
    const pad = (k - 1) / 2;
    const op: Op = { kind: 'conv2d', kernel: [k, k], stride: [1, 1], pads: [pad, pad, pad, pad], dilations: [1, 1], groups, activation: 'none' };
    const [y] = this.b.addNode(op, [x, w, bv], opts.name);
    return opts.relu ? this.relu(y, `${opts.name}.relu`) : y;
  }

  relu(x: number, name: string): number {
    return this.b.addNode({ kind: 'relu' }, [x], name)[0];
  }

  add(a: number, c: number, name: string): number {
    return this.b.addNode({ kind: 'binary', fn: 'add' }, [a, c], name)[0];
  }

  concat(parts: readonly number[], name: string): number {
    return this.b.addNode({ kind: 'concat', axis: 1 }, parts, name)[0];
  }

  finish(output: number): Graph {
    this.b.outputs = [output];
    return this.b.build();
  }
}

const defaults = (opts: NetworkOptions) => ({ size: opts.size ?? INPUT_SIZE, repeats: opts.repeats ?? REPEATS, seed: opts.seed ?? 1 });

/** Table 1: blocks of conv c1 -> c2, conv c2 -> c1. */
export function g1Network(cfg: G1Config, opts: NetworkOptions = {}): Graph {
  const { size, repeats, seed } = defaults(opts);
  const n = new NetworkBuilder(cfg.c1, size, seed);
  let x = n.input;
  for (let i = 0; i < repeats; i++) {
    x = n.conv(x, cfg.c2, { name: `block${i}.conv1` });
    x = n.conv(x, cfg.c1, { name: `block${i}.conv2` });
  }
  return n.finish(x);
}

/** Table 2: pointwise group convolutions c -> c. */
export function g2Network(cfg: G2Config, opts: NetworkOptions = {}): Graph {
  const { size, repeats, seed } = defaults(opts);
  const n = new NetworkBuilder(cfg.channels, size, seed);
  let x = n.input;
  for (let i = 0; i < repeats; i++) x = n.conv(x, cfg.channels, { groups: cfg.groups, name: `layer${i}.gconv` });
  return n.finish(x);
}

/** Table 3: 1, 2 or 4 fragments per block, in series (narrower) or in parallel (concatenated). */
export function g3Network(cfg: G3Config, opts: NetworkOptions = {}): Graph {
  const { size, repeats, seed } = defaults(opts);
  const series = cfg.arrangement === 'series';
  const width = series ? seriesWidth(cfg.channels, cfg.fragments) : cfg.channels;
  const n = new NetworkBuilder(width, size, seed);
  let x = n.input;
  for (let i = 0; i < repeats; i++) {
    if (series) {
      for (let f = 0; f < cfg.fragments; f++) x = n.conv(x, width, { name: `block${i}.fragment${f}` });
    } else {
      const input = x;
      const parts = Array.from({ length: cfg.fragments }, (_, f) => n.conv(input, width / cfg.fragments, { name: `block${i}.branch${f}` }));
      x = cfg.fragments === 1 ? parts[0] : n.concat(parts, `block${i}.concat`);
    }
  }
  return n.finish(x);
}

/** Table 4: ResNet bottleneck units (c -> c/4 -> c/4 -> c), ReLUs and shortcut as configured. */
export function g4Network(cfg: G4Config, opts: NetworkOptions = {}): Graph {
  const { size, repeats, seed } = defaults(opts);
  const inner = cfg.channels / 4;
  const n = new NetworkBuilder(cfg.channels, size, seed);
  let x = n.input;
  for (let i = 0; i < repeats; i++) {
    const unit = `unit${i}`;
    let y = n.conv(x, inner, { relu: cfg.relu, name: `${unit}.conv1` });
    y = n.conv(y, inner, { kernel: 3, relu: cfg.relu, name: `${unit}.conv2` });
    // A residual branch at half gain keeps activations bounded over ten additions.
    y = n.conv(y, cfg.channels, { gain: cfg.shortcut ? 0.5 : 1, name: `${unit}.conv3` });
    if (cfg.shortcut) y = n.add(y, x, `${unit}.add`);
    x = cfg.relu ? n.relu(y, `${unit}.relu`) : y;
  }
  return n.finish(x);
}
