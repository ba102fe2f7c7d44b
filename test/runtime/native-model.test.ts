// The native runtime: harness builds are cached by content hash, inputs are checked, dispose ends the child,
// and a missing compiler is reported with what to install.

import { expect } from 'chai';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { GraphBuilder } from '../../compiler/ir/graph-builder.ts';
import { planMemory } from '../../compiler/plan/plan-memory.ts';
import { buildNativeHarness } from '../../runtime/native-build.ts';
import { createNativeModel } from '../../runtime/native-model.ts';
import { emitCModel } from '../../targets/c/emit-model.ts';
import { scratchDir, writeArtifacts } from '../targets/c/support.ts';

/** y = relu(w * x + b) per pixel, a 1x1 conv with hand-picked numbers: 2 channels in, 2 out, 1x2 plane. */
function emitTiny(dir: string): void {
  const b = new GraphBuilder();
  const x = b.addValue('x', { dtype: 'f32', shape: [1, 2, 1, 2] });
  b.inputs = [x];
  const w = b.addConst('w', [2, 2, 1, 1], new Float32Array([1, 2, -1, 0.5]));
  const bias = b.addConst('b', [2], new Float32Array([0.5, -3]));
  b.outputs = b.addNode({ kind: 'conv2d', kernel: [1, 1], stride: [1, 1], pads: [0, 0, 0, 0], dilations: [1, 1], groups: 1, activation: 'relu' }, [x, w, bias], 'conv');
  const graph = b.build();
  writeArtifacts(dir, emitCModel(graph, planMemory(graph), { name: 'tiny', neon: false }).artifacts);
}

describe('native runtime', function () {
  this.timeout(120_000);
  const root = scratchDir('native-rt');
  const dir = join(root, 'model');
  const cacheDir = join(root, 'cache');
  before(() => emitTiny(dir));
  after(() => rmSync(root, { recursive: true, force: true }));
  const shapes = { inputShape: [1, 2, 1, 2], outputShape: [1, 2, 1, 2] };

  it('computes a hand-derived result and serves several requests in order', async () => {
    const model = await createNativeModel({ dir, name: 'tiny', cacheDir, ...shapes });
    try {
      // x = [c0: 1, 2 | c1: 3, -4]; out c0 = relu(1*x0 + 2*x1 + 0.5) = [7.5, 0]; out c1 = relu(-x0 + 0.5*x1 - 3) = [0, 0]
      const a = model.run(new Float32Array([1, 2, 3, -4]));
      // x = [c0: -2, 0 | c1: 0, 0]: c0 = [0, 0.5]; c1 = [relu(2 - 3), relu(-3)] = [0, 0]
      const b = model.run(new Float32Array([-2, 0, 0, 0]));
      expect([...(await a)]).to.deep.equal([7.5, 0, 0, 0]);
      expect([...(await b)]).to.deep.equal([0, 0.5, 0, 0]);
    } finally {
      model.dispose();
    }
  });

  it('caches the build by content hash and rebuilds when flags change', () => {
    const first = buildNativeHarness({ dir, name: 'tiny', cacheDir, cflags: ['-O1'] });
    const second = buildNativeHarness({ dir, name: 'tiny', cacheDir, cflags: ['-O1'] });
    const other = buildNativeHarness({ dir, name: 'tiny', cacheDir, cflags: ['-O0'] });
    expect(first.cached).to.equal(false);
    expect(second.cached).to.equal(true);
    expect(second.command).to.deep.equal(first.command);
    expect(other.cached).to.equal(false);
    expect(other.command).not.to.deep.equal(first.command);
  });

  it('rejects inputs of the wrong size and runs after dispose', async () => {
    const model = await createNativeModel({ dir, name: 'tiny', cacheDir, ...shapes });
    expect(() => model.run(new Float32Array(3))).to.throw(RangeError, /needs 4/);
    model.dispose();
    let error: unknown;
    try {
      await model.run(new Float32Array(4));
    } catch (e) {
      error = e;
    }
    expect(String(error)).to.match(/disposed/);
  });

  it('names what to install when the compiler is missing', () => {
    expect(() => buildNativeHarness({ dir, name: 'tiny', cacheDir, cc: 'snv2c-no-such-cc' })).to.throw(/cannot run C compiler.*install/);
    expect(() => buildNativeHarness({ dir, name: 'tiny', cacheDir, target: 'neon', cc: 'snv2c-no-such-cc' })).to.throw(/aarch64-linux-gnu|install/);
  });
});
