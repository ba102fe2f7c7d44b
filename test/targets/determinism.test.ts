// Same input, same bytes: every target's artifacts from two independent imports and compilations of a model are
// byte-identical (users commit generated code and diff it; build caches key on it).

import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compile, targetNames, type Artifact } from '../../api/index.ts';

const MODEL = join(import.meta.dirname, '../../fixtures/tv_odd_o15_bn/model.onnx');

async function compileOnce(targetName: string): Promise<Artifact[]> {
  // Fresh bytes each time, so nothing is shared between the two compilations but the code.
  const { artifacts } = await compile(new Uint8Array(readFileSync(MODEL)), { target: targetName, name: 'net', file: MODEL, warn: () => {} });
  return artifacts;
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
