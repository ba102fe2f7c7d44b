// Conformance on the official ONNX backend node tests (see onnx-node-cases.ts): every case that uses only
// supported ops runs through the reference interpreter, the C target (gcc, -Werror), the wasm target and the
// wgsl target (through its emitted module, on Dawn's GLES backend in compatibility mode, as the wgsl tests do).
// Each outcome is pass (outputs within ONNX's tolerance of the expected .pb), a refusal (a one-line
// CompileError) or a failure (a wrong result, or anything else thrown). Required: every target passes every
// case the reference passes, nothing is ever wrong, and every refusal is one line. The counts are printed.
//
//   npx mocha test/conformance/onnx-node.test.ts            (SNV2C_CONFORMANCE=case1,case2 runs a subset,
//                                                             SNV2C_CONFORMANCE_TARGETS=neon,wgsl some targets)

import { expect } from 'chai';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { compileGraph } from '../../api/compile.ts';
import { importOnnx } from '../../compiler/frontend/onnx/import-onnx.ts';
import { runGraph } from '../../compiler/interpreter/run-graph.ts';
import { CompileError } from '../../compiler/ir/errors.ts';
import type { Graph } from '../../compiler/ir/types.ts';
import { loadCompiled } from '../../api/load-compiled.ts';
import { createNativeModel } from '../../runtime/native-model.ts';
import type { AcquiredDevice } from '../../runtime/webgpu-device.ts';
import { createWasmModel } from '../../runtime/wasm-model.ts';
import { scratchDir, STRICT_FLAGS, writeArtifacts } from '../targets/c/support.ts';
import { dawnCompatDevice } from '../targets/wgsl/support.ts';
import { closeTo, loadCase, NODE_TEST_DIR, supportedCaseNames, type NodeCase } from './onnx-node-cases.ts';

type Outcome = { status: 'pass' } | { status: 'refused' | 'failed'; message: string };
const ALL_TARGETS = ['reference', 'c', 'neon', 'wasm', 'wgsl'] as const;
type TargetName = (typeof ALL_TARGETS)[number];
const chosen = process.env.SNV2C_CONFORMANCE_TARGETS?.split(',');
// The reference always runs: it decides what the other targets must pass. neon (cross-built, run under qemu,
// ~10 min for all cases) runs only when asked for: its kernels are the C target's with NEON tiles.
const TARGETS = ALL_TARGETS.filter((t) => t === 'reference' || (chosen ? chosen.includes(t) : t !== 'neon'));
let gpu: AcquiredDevice | undefined;

function judge(c: NodeCase, outputs: readonly Float32Array[]): Outcome {
  if (outputs.length !== c.expected.length) return { status: 'failed', message: `${outputs.length} outputs, expected ${c.expected.length}` };
  for (let i = 0; i < outputs.length; i++) {
    const want = c.expected[i];
    if (!want.data) return { status: 'failed', message: `output ${i} is float, the test expects data type ${want.dataType}` };
    if (!closeTo(outputs[i], want.data)) return { status: 'failed', message: `output ${i} differs from the expected values` };
  }
  return { status: 'pass' };
}

async function attempt(run: () => Promise<Float32Array[]>, c: NodeCase): Promise<Outcome> {
  try {
    return judge(c, await run());
  } catch (e) {
    if (e instanceof CompileError) return { status: 'refused', message: e.message };
    return { status: 'failed', message: `${(e as Error).name}: ${(e as Error).message}` };
  }
}

const shapes = (g: Graph, ids: readonly number[]) => ids.map((id) => g.values.get(id)!.type.shape);

async function runTarget(target: TargetName, c: NodeCase, imported: Graph, root: string): Promise<Float32Array[]> {
  if (target === 'reference') return runGraph(imported, c.inputs);
  // As `snv2c run` does before running a target: the test data must fit the model's inputs.
  imported.inputs.forEach((id, i) => {
    const shape = imported.values.get(id)!.type.shape;
    const need = shape.reduce((a, b) => a * b, 1);
    if (c.inputs[i]?.length !== need) throw new CompileError(`input ${i} holds ${c.inputs[i]?.length ?? 0} values, shape [${shape.join(',')}] needs ${need}`, { kind: 'invalid-input' });
  });
  const result = await compileGraph(imported, { target, name: 'node', warn: () => undefined, log: () => undefined });
  const g = result.graph;
  const io = { inputShape: shapes(g, g.inputs)[0] ?? [], outputShape: shapes(g, g.outputs)[0], inputShapes: shapes(g, g.inputs), outputShapes: shapes(g, g.outputs) };
  if (target === 'wgsl') {
    const model = await loadCompiled(result, { device: gpu!.device });
    try {
      return await model.runAll!(c.inputs);
    } finally {
      model.dispose();
    }
  }
  if (target === 'wasm') {
    const file = (path: string) => result.artifacts.find((a) => a.path === path)!.contents as Uint8Array;
    const model = await createWasmModel({ name: 'node', wasm: file('node.wasm'), weights: file('node.weights.bin'), ...io });
    return model.runAll!(c.inputs);
  }
  const dir = join(root, c.name);
  writeArtifacts(dir, result.artifacts);
  const native = target === 'neon' ? { target } : { cc: 'gcc', cflags: STRICT_FLAGS };
  const model = await createNativeModel({ dir, name: 'node', ...native, cacheDir: join(root, 'cache'), ...io });
  try {
    return await model.runAll!(c.inputs);
  } finally {
    model.dispose();
  }
}

describe('ONNX backend node tests (libonnx-testdata)', function () {
  this.timeout(1_800_000);
  const root = scratchDir('conformance');
  const only = process.env.SNV2C_CONFORMANCE?.split(',');
  const names = supportedCaseNames().filter((n) => !only || only.includes(n));
  const outcomes = new Map<string, Record<TargetName, Outcome>>();

  before(async function () {
    if (!existsSync(NODE_TEST_DIR)) this.skip(); // apt-get install libonnx-testdata
    if (TARGETS.includes('wgsl')) gpu = await dawnCompatDevice();
  });
  after(() => {
    gpu?.release();
    rmSync(root, { recursive: true, force: true });
    const line = (t: TargetName) => {
      const counts = { pass: 0, refused: 0, failed: 0 };
      for (const o of outcomes.values()) counts[o[t].status]++;
      return `${t}: ${counts.pass} passed, ${counts.refused} refused, ${counts.failed} failed`;
    };
    if (outcomes.size) console.log(`      ${outcomes.size} cases with supported ops -- ${TARGETS.map(line).join('; ')}`);
  });

  it('finds the cases', () => {
    expect(names.length).to.be.greaterThan(only ? 0 : 100);
  });

  for (const name of names) {
    it(name, async () => {
      const c = loadCase(name);
      let imported: Graph | undefined;
      const result = {} as Record<TargetName, Outcome>;
      for (const target of TARGETS) {
        result[target] = await attempt(async () => {
          imported ??= importOnnx(c.model, { file: `${name}/model.onnx` });
          return runTarget(target, c, imported, root);
        }, c);
      }
      outcomes.set(name, result);
      for (const target of TARGETS) {
        const o = result[target];
        if (o.status !== 'pass') expect(o.message, `${target} message`).not.to.match(/[\r\n]/);
        expect(o.status, `${target}: ${o.status === 'pass' ? '' : o.message}`).not.to.equal('failed');
        if (target !== 'reference' && result.reference.status === 'pass') expect(o.status, `${target} must pass what the reference passes: ${o.status === 'pass' ? '' : o.message}`).to.equal('pass');
      }
    });
  }
});
