// The shared 1x1 microkernel called directly, with run tables no graph in the other tests produces: input rows in
// two stretches with different steps, and output rows in three runs whose boundaries fall inside 8-row blocks (the
// row lookup across runs). Checked against a plain loop over the same tables on every tile path.

import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { GraphBuilder } from '../../../compiler/ir/graph-builder.ts';
import { planMemory } from '../../../compiler/plan/plan-memory.ts';
import { emitCModel } from '../../../targets/c/emit-model.ts';
import { scratchDir, writeArtifacts } from './support.ts';

/** A main that includes the model source and calls its 8x32 relu microkernel on hand-made tables. */
const MAIN = `#include "k.c"
#include <stdio.h>
#define K 13
#define M 24
#define P 64
int main(void) {
  /* input rows k in [0, 5) at 7 + k * 70, k in [5, 13) at 400 + k * 66 (rows of 64 pixels, gaps between) */
  static const int32_t in[2][4] = { { 0, 5, 7, 70 }, { 5, 13, 400, 66 } };
  /* output rows: [0, 3) step 64, [3, 11) from 1000 step 128, [11, 24) from 3000 step 64 */
  static const int32_t out[3][4] = { { 0, 3, 0, 64 }, { 3, 11, 1000, 128 }, { 11, 24, 3000, 64 } };
  static float x[2000], w[M * K], bias[M], y[5000], acc[8 * 32];
  int m, k, p, bad = 0;
  for (k = 0; k < 2000; k++) x[k] = (float)((k * 37) % 101) / 101.0f - 0.5f;
  for (k = 0; k < M * K; k++) w[k] = (float)((k * 53) % 89) / 89.0f - 0.5f;
  for (m = 0; m < M; m++) bias[m] = (float)m / M - 0.5f;
  k_pw_8x32_relu(x, in, 2, w, bias, y, out, 0, M, 0, P, acc);
  for (m = 0; m < M; m++) {
    const int r = m < 3 ? 0 : m < 11 ? 1 : 2;
    for (p = 0; p < P; p++) {
      /* packed weights: block of 8 rows from m & ~7, [k][row] */
      double s = bias[m];
      for (k = 0; k < K; k++) {
        const int q = k < 5 ? 0 : 1;
        s += (double)w[(m & ~7) * K + k * 8 + (m & 7)] * x[in[q][2] + k * in[q][3] + p];
      }
      if (s < 0) s = 0;
      if (fabsf_(y[out[r][2] + m * out[r][3] + p] - (float)s) > 1e-5f) bad++;
    }
  }
  printf("%d\\n", bad);
  return bad != 0;
}
`;

/** fabsf without libm (the model source is freestanding). */
const ABS = 'static float fabsf_(float v) { return v < 0 ? -v : v; }\n';

const hostFlags = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
const VARIANTS: [string, string, string[], boolean][] = [
  ['portable', 'gcc', ['-O2'], true],
  ['avx2', 'gcc', ['-O2', '-march=x86-64-v3'], process.arch === 'x64' && /\bavx2\b/.test(hostFlags) && /\bfma\b/.test(hostFlags)],
  ['avx512', 'clang', ['-O2', '-march=x86-64-v4'], process.arch === 'x64' && /\bavx512f\b/.test(hostFlags)],
];

describe('shared 1x1 microkernel on hand-made run tables', function () {
  this.timeout(120_000);
  const root = scratchDir('c-microkernel');
  after(() => rmSync(root, { recursive: true, force: true }));

  // A 1x1 conv with 16 outputs on 8x8 pixels instantiates k_pw_8x32_relu.
  const b = new GraphBuilder();
  const input = b.addValue('x', { dtype: 'f32', shape: [1, 4, 8, 8] });
  b.inputs = [input];
  const w = b.addConst('w', [16, 4, 1, 1], new Float32Array(64).fill(0.5));
  const bias = b.addConst('b', [16], new Float32Array(16));
  b.outputs = [b.addNode({ kind: 'conv2d', kernel: [1, 1], stride: [1, 1], pads: [0, 0, 0, 0], dilations: [1, 1], groups: 1, activation: 'relu' }, [input, w, bias], 'conv')[0]];
  const graph = b.build();

  for (const neon of [false, true]) {
    const dir = join(root, neon ? 'neon' : 'c');
    const variants: [string, string, string[], boolean][] = neon ? [['neon', 'aarch64-linux-gnu-gcc', ['-O2'], true]] : VARIANTS;
    for (const [label, cc, flags, runs] of variants) {
      it(`${label}: every output row in its run, every input stretch read`, function () {
        if (!runs) this.skip();
        writeArtifacts(dir, emitCModel(graph, planMemory(graph), { name: 'k', neon }).artifacts);
        writeArtifacts(dir, [{ path: 'main.c', contents: ABS + MAIN }]);
        const exe = `main_${label}`;
        const build = spawnSync(cc, ['-std=c99', ...flags, '-o', exe, 'main.c', 'k_weights.c'], { cwd: dir, encoding: 'utf8' });
        expect(build.status, build.stderr).to.equal(0);
        const run = neon ? spawnSync('qemu-aarch64', ['-L', '/usr/aarch64-linux-gnu', join(dir, exe)], { encoding: 'utf8' }) : spawnSync(join(dir, exe), { encoding: 'utf8' });
        expect(run.stdout.trim(), run.stderr).to.equal('0');
        expect(run.status).to.equal(0);
      });
    }
  }
});
