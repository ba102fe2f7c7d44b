// `bench --profile`: the instrumented builds time every kernel of the compiled graph exactly once, the times join
// the cost model node by node, the kinds add up, and normal builds carry no timers. Structure only, never speed.

import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compile } from '../../api/compile.ts';
import { writeArtifactsSync } from '../../api/write-artifacts.ts';
import { benchModel } from '../../bench/bench-model.ts';
import { LAYER_KINDS } from '../../bench/profile/layer-kind.ts';
import { profiledKernels } from '../../bench/profile/profiled-kernels.ts';
import { configureMesaEnvironment } from '../targets/wgsl/support.ts';

const MODEL = join(import.meta.dirname, '../../fixtures/tv_tiny_o17_folded/model.onnx');

describe('bench --profile', function () {
  this.timeout(300000);
  before(() => configureMesaEnvironment());

  for (const target of ['c', 'wasm', 'wgsl']) {
    it(`covers every kernel of the compiled graph once on ${target}, joined with the cost model`, async () => {
      const r = await benchModel(MODEL, { target, runs: 2, warmup: 0, profile: true });
      const compiled = await compile(MODEL, { target, warn: () => undefined });
      const computeNodes = compiled.graph.nodes.filter((n) => !compiled.plan.viewNodes.has(n.id));
      const p = r.profile!;
      expect(p.layers.flatMap((l) => l.nodeIds)).to.deep.equal(computeNodes.map((n) => n.id));
      const costs = new Map(compiled.report.after.layers.map((l) => [l.nodeId, l]));
      for (const l of p.layers.filter((layer) => layer.op !== 'transfer')) {
        expect(l.ms, l.name).to.be.a('number').and.at.least(0);
        expect(l.macs).to.equal(l.nodeIds.reduce((s, id) => s + costs.get(id)!.macs, 0));
        expect(l.macBytes).to.equal(l.nodeIds.reduce((s, id) => s + costs.get(id)!.macBytes, 0));
        expect(l.gmacPerSecond).to.be.closeTo(l.ms > 0 ? l.macs / l.ms / 1e6 : 0, 1e-9 * (1 + l.gmacPerSecond));
      }
      expect(p.layers.reduce((s, l) => s + l.share, 0)).to.be.closeTo(1, 1e-9);
      // The whole model was timed in the same instrumented runs, as the base the layer times are compared with.
      expect(p.wholeMs).to.be.a('number').and.above(0);
      // A whole-call headline (WebGPU on the wall clock) has its upload and readback as the first and last rows.
      const wholeCalls = target === 'wgsl' && r.notes.some((n) => n.includes('wall clock'));
      const transfers = p.layers.filter((l) => l.op === 'transfer');
      expect(transfers.map((l) => l.name)).to.deep.equal(wholeCalls ? ['input upload', 'output readback'] : []);
      if (wholeCalls) {
        expect([p.layers[0].name, p.layers.at(-1)!.name]).to.deep.equal(['input upload', 'output readback']);
        const bytes = (id: number) => 4 * compiled.graph.values.get(id)!.type.shape.reduce((a, b) => a * b, 1);
        expect(transfers.map((l) => l.macBytes)).to.deep.equal([bytes(compiled.graph.inputs[0]), bytes(compiled.graph.outputs[0])]);
      }
      // Every kind of the paper's breakdown is listed; a target that fuses kernels adds joint kinds after them.
      expect(Object.keys(p.byKind).slice(0, LAYER_KINDS.length)).to.deep.equal([...LAYER_KINDS]);
      expect(Object.values(p.byKind).reduce((a, b) => a + b, 0)).to.be.closeTo(p.layerSumMs, 1e-9);
      // Channel routing leaves split, concat and shuffle as views: no data-movement kernel runs.
      expect(p.byKind['data movement']).to.equal(0);
      expect(p.byKind['1x1 conv']).to.be.above(0);
      expect(p.byKind['stem conv']).to.be.above(0);
      // The classifier runs alone (c, wasm) or fused with the global pool (wgsl), never as element-wise work.
      expect(p.byKind.classifier + (p.byKind['pooling + classifier'] ?? 0)).to.be.above(0);
      expect(p.byKind['element-wise']).to.equal(0);
      expect(p.byKind.depthwise + (p.byKind['depthwise + 1x1 conv'] ?? 0)).to.be.above(0);
    });
  }

  it('numbers one profile slot per emitted kernel call, and normal builds compile the timers out', async () => {
    const compiled = await compile(MODEL, { target: 'c', name: 'net', warn: () => undefined });
    const source = String(compiled.artifacts.find((a) => a.path === 'net.c')!.contents);
    const slots = [...source.matchAll(/^\s*SNV2C_PROFILE_BEGIN\((\d+)\);$/gm)].map((m) => Number(m[1]));
    const kernels = profiledKernels(compiled);
    expect(slots).to.deep.equal(kernels.map((_, i) => i));
    const dir = mkdtempSync(join(tmpdir(), 'snv2c-test-profile-'));
    try {
      writeArtifactsSync(join(dir, 'out'), compiled.artifacts);
      const preprocess = (flags: string[]) => spawnSync(process.env.CC || 'cc', ['-std=c99', '-E', ...flags, 'net.c'], { cwd: join(dir, 'out'), encoding: 'utf8' }).stdout;
      expect(preprocess([])).to.not.match(/profile_(begin|end)\s*\(/);
      expect(preprocess(['-DSNV2C_PROFILE']).match(/net_profile_begin\(\d+\);/g)).to.have.length(kernels.length);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
