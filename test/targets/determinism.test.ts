// Same input, same bytes: every target's artifacts from two independent imports and compilations of a model are
// byte-identical (users commit generated code and diff it; build caches key on it).

import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importOnnx } from '../../compiler/frontend/onnx/import-onnx.ts';
import { runPipeline } from '../../compiler/pipeline.ts';
import { planMemory } from '../../compiler/plan/plan-memory.ts';
import type { Artifact } from '../../compiler/target.ts';
import { loadTarget, targetNames } from '../../api/targets.ts';

const MODEL = join(import.meta.dirname, '../../fixtures/tv_odd_o15_bn/model.onnx');

async function compileOnce(targetName: string): Promise<Artifact[]> {
  const target = await loadTarget(targetName);
  const graph = importOnnx(new Uint8Array(readFileSync(MODEL)), { file: MODEL });
  const compiled = runPipeline(graph, { extraPasses: target.passes, warn: () => {} });
  return target.emit(compiled, planMemory(compiled), { name: 'net' });
}

const bytesOf = (a: Artifact): Buffer => Buffer.from(typeof a.contents === 'string' ? a.contents : a.contents);

describe('deterministic artifacts', function () {
  this.timeout(120_000);
  for (const name of targetNames()) {
    it(`--target ${name}: two compilations give byte-identical files`, async () => {
      const first = await compileOnce(name);
      const second = await compileOnce(name);
      expect(second.map((a) => a.path)).to.deep.equal(first.map((a) => a.path));
      expect(first.length).to.be.above(1);
      first.forEach((a, i) => expect(bytesOf(second[i]).equals(bytesOf(a)), `${a.path} differs`).to.equal(true));
    });
  }
});
