// Conv epilogues in the C kernels (targets/c/kernels/conv-epilogue.ts): every activation, with and without a
// fused residual add, through every conv kernel (stem tap rows, depthwise 3x3, 1x1 tiles split by pixel tiles and
// by row blocks with a remainder, grouped 1x1, the generic conv), at batch 1 and 2. Each graph is checked
// against the reference interpreter (a wrong or missing formula fails), against the same graph computed unfused
// (conv, then the standalone activation and add kernels: bit-identical, the formulas are shared), and with 3
// threads against 1 (bit-identical).

import { expect } from 'chai';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { GraphBuilder } from '../../../compiler/ir/graph-builder.ts';
import type { Activation, Graph, Pads4 } from '../../../compiler/ir/types.ts';
import { runGraph } from '../../../compiler/interpreter/run-graph.ts';
import { planMemory } from '../../../compiler/plan/plan-memory.ts';
import { createNativeModel } from '../../../runtime/native-model.ts';
import { emitCModel } from '../../../targets/c/emit-model.ts';
import { STANDALONE_ACTIVATIONS } from '../../support/standalone-activations.ts';
import { maxAbsDiff, scratchDir, STRICT_FLAGS, writeArtifacts } from './support.ts';

const ACTIVATIONS: Activation[] = ['none', 'relu', 'relu6', 'sigmoid', 'hardSigmoid', 'hardSwish'];

function random(n: number, seed: number, scale: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 31 - 1) * scale;
  });
}

/**
 * stem 3x3 s2 (3 -> 24) -> depthwise 3x3 -> 1x1 24 -> 24 on 19x19 (+ stem output; pixel-tile tasks, 9-pixel
 * tail) -> grouped-by-2 3x3 s2 (generic) -> grouped 1x1 g4 -> 1x1 20 -> 68 on 10x10 (+ another 1x1's output;
 * row-block tasks and a 4-row remainder: the plane has fewer than 6 pixel tiles). Every conv applies `activation`; `fused` puts activation and adds into the convs, otherwise
 * they are standalone nodes. Weights are scaled so activations see values on both sides of their kinks.
 */
function epilogueGraph(activation: Activation, residual: boolean, fused: boolean, batch: number): Graph {
  const b = new GraphBuilder();
  const x = b.addValue('x', { dtype: 'f32', shape: [batch, 3, 38, 38] });
  b.inputs = [x];
  let seed = 1;
  const conv = (input: number, cin: number, cout: number, k: number, stride: number, groups: number, act: Activation, add?: number): number => {
    seed += 2;
    const w = b.addConst(`w${seed}`, [cout, cin / groups, k, k], random((cout * cin * k * k) / groups, seed, 3 / Math.sqrt((cin / groups) * k * k)));
    const bias = b.addConst(`b${seed}`, [cout], random(cout, seed + 1, 2));
    const pad = (k - 1) / 2;
    const pads: Pads4 = [pad, pad, pad, pad];
    const op = { kind: 'conv2d' as const, kernel: [k, k] as const, stride: [stride, stride] as const, pads, dilations: [1, 1] as const, groups };
    if (fused) return b.addNode({ ...op, activation: act, ...(add !== undefined ? { residual: true as const } : {}) }, add !== undefined ? [input, w, bias, add] : [input, w, bias], `conv ${seed}`)[0];
    let y = b.addNode({ ...op, activation: 'none' }, [input, w, bias], `conv ${seed}`)[0];
    if (act !== 'none') y = b.addNode(STANDALONE_ACTIVATIONS[act], [y], `act ${seed}`)[0];
    return add !== undefined ? b.addNode({ kind: 'binary', fn: 'add' }, [y, add], `add ${seed}`)[0] : y;
  };
  const stem = conv(x, 3, 24, 3, 2, 1, activation);
  const dw = conv(stem, 24, 24, 3, 1, 24, activation);
  const pw = conv(dw, 24, 24, 1, 1, 1, activation, residual ? stem : undefined);
  const general = conv(pw, 24, 20, 3, 2, 2, activation);
  const grouped = conv(general, 20, 20, 1, 1, 4, activation);
  const shortcut = conv(grouped, 20, 68, 1, 1, 1, 'none');
  b.outputs = [conv(grouped, 20, 68, 1, 1, 1, activation, residual ? shortcut : undefined)];
  return b.build();
}

const BUILDS = [
  { label: 'gcc portable', cc: 'gcc', cflags: STRICT_FLAGS },
  { label: 'clang portable', cc: 'clang', cflags: STRICT_FLAGS },
  { label: 'gcc -O3 -march=native', cc: 'gcc', cflags: ['-O3', '-march=native', '-std=c99', '-Wall', '-Wextra', '-Werror'] },
];
/** Float32 rounding differences grow with the values: 1e-5 of the largest output (at least 1e-5). */
function tolerance(reference: Float32Array): number {
  return 1e-5 * Math.max(1, ...Array.from(reference, Math.abs));
}
const hasAvx2 = process.arch === 'x64' && existsSync('/proc/cpuinfo') && /\bavx2\b/.test(readFileSync('/proc/cpuinfo', 'utf8'));

describe('C conv epilogues: every activation, with and without a residual, in every conv kernel', function () {
  this.timeout(600_000);
  const root = scratchDir('c-epilogues');
  after(() => rmSync(root, { recursive: true, force: true }));

  async function run(graph: Graph, tag: string, input: Float32Array, opts: { cc?: string; cflags?: string[]; neon?: boolean; threads?: number }): Promise<Float32Array> {
    const dir = join(root, tag);
    writeArtifacts(dir, emitCModel(graph, planMemory(graph), { name: 'k', neon: opts.neon ?? false }).artifacts);
    const shape = (id: number) => [...graph.values.get(id)!.type.shape];
    const model = await createNativeModel({ dir, name: 'k', target: opts.neon ? 'neon' : 'c', cc: opts.cc, cflags: opts.cflags, threads: opts.threads, cacheDir: join(root, 'cache'), inputShape: shape(graph.inputs[0]), outputShape: shape(graph.outputs[0]) });
    try {
      return await model.run(input);
    } finally {
      model.dispose();
    }
  }

  it('the test graph really takes every kernel path (stem, depthwise, both 1x1 splits, grouped 1x1, generic) and splits layers', () => {
    const graph = epilogueGraph('sigmoid', true, true, 1);
    const c = emitCModel(graph, planMemory(graph), { name: 'k', neon: false }).artifacts.find((a) => a.path === 'k.c')!.contents as string;
    for (const kind of ['as tap-row tiles', 'depthwise conv 3x3', 'conv2d 1x1 24 to 24', 'conv2d 1x1 g4', 'conv2d 3x3 s2x2 g2', 'conv2d 1x1 20 to 68']) expect(c, kind).to.contain(kind);
    expect(c).to.match(/lo \* 32/); // a pixel-tile split
    expect(c).to.match(/task < 0 \|\| task == \d+\) \? 68 : hi \* 8\)/); // a row-block split with the remainder rows
    // Calls (not the definitions): stem, depthwise, generic and grouped convs; the two 1x1 convs with a residual.
    expect(c.match(/k_epilogue_sigmoid\(y \+/g)?.length, 'sigmoid epilogue calls').to.equal(4);
    expect(c.match(/k_epilogue_sigmoid_residual\(y \+/g)?.length, 'sigmoid + residual epilogue calls').to.equal(2);
  });

  for (const activation of ACTIVATIONS) {
    for (const residual of [false, true]) {
      const batch = residual ? 2 : 1;
      const label = `${activation}${residual ? ' + residual' : ''}, batch ${batch}`;
      const fused = epilogueGraph(activation, residual, true, batch);
      const unfused = epilogueGraph(activation, residual, false, batch);
      const input = random(batch * 3 * 38 * 38, 7, 1);
      const tag = `${activation}-${residual}`;

      it(`${label}: gcc and clang (portable, -march=native) match the interpreter, 3 threads match 1 bit for bit`, async () => {
        const reference = runGraph(fused, [input])[0];
        // The unfused graph is the interpreter's own check on the fused ops' semantics.
        expect(maxAbsDiff(reference, runGraph(unfused, [input])[0])).to.be.at.most(tolerance(reference));
        for (const { label: build, cc, cflags } of BUILDS) {
          const out = await run(fused, `${tag}-${cc}-${cflags.length}`, input, { cc, cflags });
          expect(maxAbsDiff(out, reference), `${build}: max |C - interpreter|`).to.be.at.most(tolerance(reference));
        }
        const serial = await run(fused, `${tag}-t1`, input, { threads: 1 });
        const threaded = await run(fused, `${tag}-t3`, input, { threads: 3 });
        expect(Buffer.compare(Buffer.from(serial.buffer), Buffer.from(threaded.buffer)), '3 threads vs 1').to.equal(0);
      });

      if (activation !== 'none' && activation !== 'relu') {
        it(`${label}: the fused kernels give the unfused conv + standalone kernels' results bit for bit`, async () => {
          const builds = [{ cc: 'gcc', cflags: STRICT_FLAGS }, ...(hasAvx2 ? [{ cc: 'clang', cflags: ['-O3', '-march=native'] }] : [])];
          for (const { cc, cflags } of builds) {
            const a = await run(fused, `${tag}-bits-f-${cc}`, input, { cc, cflags });
            const b = await run(unfused, `${tag}-bits-u-${cc}`, input, { cc, cflags });
            expect(Buffer.compare(Buffer.from(a.buffer), Buffer.from(b.buffer)), `${cc} ${cflags.join(' ')}`).to.equal(0);
          }
        });
      }

      it(`${label}: NEON build (aarch64, qemu) matches the interpreter`, async () => {
        const out = await run(fused, `${tag}-neon`, input, { neon: true });
        const reference = runGraph(fused, [input])[0];
        expect(maxAbsDiff(out, reference)).to.be.at.most(tolerance(reference));
      });
    }
  }
});
