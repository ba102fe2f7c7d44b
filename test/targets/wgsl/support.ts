// Shared by the WGSL tests: a Dawn device on Mesa (GLES, compatibility mode), random weights for hand-built
// graphs, and writing a target's artifacts to a scratch directory inside the repo (so `webgpu` resolves).

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { GraphBuilder } from '../../../compiler/ir/graph-builder.ts';
import type { Graph, Node, Op, Value } from '../../../compiler/ir/types.ts';
import { runGraph } from '../../../compiler/interpreter/run-graph.ts';
import { planMemory } from '../../../compiler/plan/plan-memory.ts';
import type { Artifact } from '../../../compiler/target.ts';
import type { AcquiredDevice } from '../../../runtime/webgpu-device.ts';
import { acquireDevice } from '../../../runtime/webgpu-device.ts';
import { createWebGpuModel } from '../../../runtime/webgpu-model.ts';
import { emitWgslModel } from '../../../targets/wgsl/emit-model.ts';

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * Mesa wants a private runtime dir and a cache it may write; keep both inside the repo's ignored tmp/.
 * The tests target Dawn's GLES backend (what CI has), so Dawn's default backend is GLES too: on Linux the
 * default would be Vulkan, and on a machine without a GPU the Vulkan loader finds only Mesa's lavapipe, which
 * Dawn rejects with a multi-line warning on stderr before the GLES fallback is tried. DAWNNODE_BACKEND is read
 * by dawn.node only when create() names no backend; set it yourself to run the tests on another one.
 */
export function configureMesaEnvironment(): void {
  const runtimeDir = join(REPO, 'tmp', 'xdg-runtime');
  mkdirSync(runtimeDir, { recursive: true, mode: 0o700 });
  process.env.XDG_RUNTIME_DIR ??= runtimeDir;
  process.env.XDG_CACHE_HOME ??= join(REPO, '.cache');
  process.env.EGL_PLATFORM ??= 'surfaceless';
  process.env.DAWNNODE_BACKEND ??= 'opengles';
}

/** Dawn's GLES backend in compatibility mode: the adapter CI machines without a GPU have. */
export async function dawnCompatDevice(): Promise<AcquiredDevice> {
  configureMesaEnvironment();
  return acquireDevice({}, [['backend=opengles']]);
}

/** Deterministic values in [-scale, scale) (mulberry32). */
export function randomFloats(n: number, seed: number, scale = 1): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1) * scale;
  }
  return out;
}

/** The same graph with every f32 constant replaced by small random values (scaled by fan-in for weights). */
/**
 * A small hand-built graph for kernel tests: f32 inputs, seeded random constants (`c<seed>`, scaled by
 * `constScale` unless a call says otherwise) and nodes named after their op. Each test file starts from its own
 * seed.
 */
export class TestNet {
  readonly b = new GraphBuilder();
  constructor(
    protected seed: number,
    inputs: readonly { name: string; shape: number[] }[],
    private readonly constScale = 1,
  ) {
    this.b.inputs = inputs.map(({ name, shape }) => this.b.addValue(name, { dtype: 'f32', shape }));
  }
  get x(): number {
    return this.b.inputs[0];
  }
  const(shape: number[], scale = this.constScale): number {
    return this.b.addConst(`c${this.seed}`, shape, randomFloats(shape.reduce((a, b) => a * b, 1), this.seed++, scale));
  }
  indices(shape: number[], values: number[]): number {
    return this.b.addConst(`i${this.seed++}`, shape, Float64Array.from(values));
  }
  /** The node's outputs. */
  node(op: Op, inputs: number[]): number[] {
    return this.b.addNode(op, inputs, `${op.kind} n${this.seed++}`);
  }
  /** The node's first output. */
  output(op: Op, inputs: number[]): number {
    return this.node(op, inputs)[0];
  }
  build(...outputs: number[]): Graph {
    this.b.outputs = outputs;
    return this.b.build();
  }
}

export function withRandomConstants(graph: Graph, seed: number): Graph {
  const values = new Map<number, Value>();
  for (const v of graph.values.values()) {
    if (!(v.data instanceof Float32Array)) {
      values.set(v.id, v);
      continue;
    }
    const fanIn = v.type.shape.length > 1 ? v.type.shape.slice(1).reduce((a, b) => a * b, 1) : 4;
    values.set(v.id, { ...v, data: randomFloats(v.data.length, seed + v.id, 1.7 / Math.sqrt(fanIn)) });
  }
  return { ...graph, values };
}

/** Writes artifacts into a fresh directory under tmp/ and returns it. */
export function writeArtifacts(artifacts: readonly Artifact[], prefix: string): string {
  const base = join(REPO, 'tmp', 'wgsl-tests');
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(join(base, `${prefix}-`));
  for (const a of artifacts) {
    const path = join(dir, a.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, a.contents);
  }
  return dir;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

export function argmax(a: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < a.length; i++) if (a[i] > a[best]) best = i;
  return best;
}

/**
 * Dispatches the WGSL target should need for a pipeline-compiled ShuffleNetV2 (or one of the paper's variants)
 * planned with its kernel groups: views cost none; a depthwise conv read only by a 1x1 conv shares its
 * dispatch; so does a global pool read only (through a flatten) by the classifier. An SE block's pool feeds a
 * 1x1 conv and an element-wise mul, so it dispatches on its own.
 */
export function expectedDispatches(graph: Graph): number {
  const VIEWS = ['split', 'concat', 'channelShuffle', 'reshape', 'identity'];
  const readers = (id: number) => graph.nodes.filter((n) => n.inputs.includes(id));
  /** The one node reading `id`, looking through flatten-like reshapes. */
  const soleReader = (id: number): Node | undefined => {
    const all = readers(id);
    if (all.length !== 1) return undefined;
    return all[0].op.kind === 'reshape' ? soleReader(all[0].outputs[0]) : all[0];
  };
  const isPointwise = (n: Node | undefined) => n?.op.kind === 'conv2d' && n.op.kernel.join() === '1,1' && n.op.stride.join() === '1,1' && n.op.groups === 1;
  const isDepthwise = (n: Node) => n.op.kind === 'conv2d' && n.op.groups > 1 && n.op.groups === graph.values.get(n.inputs[0])!.type.shape[1];
  const isPool = (n: Node) => n.op.kind === 'globalAvgPool' || n.op.kind === 'reduceMean';
  const isClassifier = (n: Node | undefined) => n?.op.kind === 'dense' || n?.op.kind === 'gemm' || n?.op.kind === 'matMul';
  let dispatches = 0;
  for (const node of graph.nodes) {
    if (VIEWS.includes(node.op.kind)) continue;
    const next = soleReader(node.outputs[0]);
    const shared = (isDepthwise(node) && isPointwise(next)) || (isPool(node) && isClassifier(next));
    if (!shared) dispatches++;
  }
  return dispatches;
}

/**
 * Runs a hand-built graph on `device` and in the interpreter with the same inputs (values in [-4, 4), so every
 * clamp bites), compares every output within 1e-5, and returns the kernel kinds dispatched.
 */
export async function expectGraphMatchesInterpreter(device: GPUDevice, graph: Graph, seed = 1): Promise<string[]> {
  const inputs = graph.inputs.map((id, i) => randomFloats(graph.values.get(id)!.type.shape.reduce((a, b) => a * b, 1), seed + i, 4));
  const { description, wgsl, weights } = emitWgslModel(graph, planMemory(graph), 'case');
  const model = await createWebGpuModel(description, { device, weights, wgsl });
  try {
    const outputs = await model.runAll(inputs);
    const reference = runGraph(graph, inputs);
    expect(outputs.length).to.equal(reference.length);
    reference.forEach((want, i) => expect(maxAbsDiff(outputs[i], want), `output ${i}`).to.be.at.most(1e-5));
    return description.steps.map((s) => s.kernel);
  } finally {
    model.dispose();
  }
}
