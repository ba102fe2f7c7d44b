// torch.save archives read without Python: golden values are what PyTorch itself read back (data/expected.json,
// fixtures' PyTorch outputs); hostile and broken files come from fixtures/bad (see fixtures/manifest.json).

import { expect } from 'chai';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { CompileError } from '../../../../compiler/ir/errors.ts';
import { loadPth } from '../../../../compiler/frontend/weights/load-pth.ts';
import { loadWeights } from '../../../../compiler/frontend/weights/load-weights.ts';

const DATA = 'test/compiler/frontend/weights/data';
const expected = JSON.parse(readFileSync(`${DATA}/expected.json`, 'utf8')) as Record<string, { shape: number[]; data: number[] }>;
const PWNED = '/tmp/snv2c-pwned';

function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).to.be.instanceOf(CompileError);
    expect((e as Error).message).to.not.contain('\n');
    return (e as Error).message;
  }
  return expect.fail('expected a CompileError');
}

const load = (path: string) => loadWeights(readFileSync(path), path);

describe('loading .pth (torch.save zip)', () => {
  it('reads strided views, offsets, shared storages, nn.Parameter, float16 and bfloat16 as PyTorch does', () => {
    const w = load(`${DATA}/views.pth`);
    expect([...w.keys()].sort()).to.deep.equal(Object.keys(expected).filter((k) => k !== 'a').sort());
    for (const [key, t] of w) {
      expect(t.shape, key).to.deep.equal(expected[key].shape);
      expect([...t.data], key).to.deep.equal(expected[key].data.map(Math.fround));
    }
  });

  it('reads pickle protocol 4 and big-endian archives, skipping int64 num_batches_tracked', () => {
    for (const file of ['protocol4.pth', 'bigendian.pth']) {
      const w = load(`${DATA}/${file}`);
      expect([...w.keys()], file).to.deep.equal(['a']);
      expect([...w.get('a')!.data], file).to.deep.equal(expected.a.data);
    }
  });

  it('refuses other int64 tensors, and float64 storages, naming the key', () => {
    expect(errorOf(() => load(`${DATA}/int64.pth`))).to.contain("'steps' has dtype i64");
    expect(errorOf(() => load('fixtures/bad/float64_weights.pth'))).to.contain("'conv1.0.weight' has dtype f64");
  });

  it('reads the fixture state_dicts with the same values as their safetensors twins', () => {
    const pth = load('fixtures/weights/tiny/state_dict.pth');
    const st = load('fixtures/weights/tiny/state_dict.safetensors');
    expect(pth.size).to.equal(176 - 29); // manifest: 176 keys; 29 BatchNorms each add a num_batches_tracked
    expect([...pth.keys()].sort()).to.deep.equal([...st.keys()].sort());
    for (const [k, t] of pth) expect([...t.data], k).to.deep.equal([...st.get(k)!.data]);
  });

  for (const [file, global] of [['evil_os_system.pth', 'os.system'], ['evil_builtins_eval.pth', 'builtins.eval'], ['evil_stack_global.pth', 'posix.system']]) {
    it(`refuses ${file}, naming ${global}, and its payload never runs`, () => {
      rmSync(PWNED, { force: true });
      expect(errorOf(() => load(`fixtures/bad/${file}`))).to.contain(`global '${global}' is not allowed`).and.contain(file);
      expect(existsSync(PWNED)).to.equal(false);
    });
  }

  it('refuses the legacy format, truncated archives, wrong magic and undersized storages in one line', () => {
    expect(errorOf(() => load('fixtures/bad/legacy_format.pth'))).to.contain('legacy torch.save format; re-save with torch.save(..., _use_new_zipfile_serialization=True)');
    expect(errorOf(() => load('fixtures/bad/truncated.pth'))).to.contain('truncated');
    expect(errorOf(() => loadWeights(new TextEncoder().encode('GIF89a not weights'), 'w.pth'))).to.contain('wrong magic');
    expect(errorOf(() => load('fixtures/bad/storage_too_small.pth'))).to.contain("storage '168' holds 4608 bytes").and.contain('9216 bytes');
  });

  it('refuses an archive whose bytes were altered behind a valid zip index', () => {
    const bytes = new Uint8Array(readFileSync(`${DATA}/protocol4.pth`));
    const pickleStart = Buffer.from(bytes).indexOf(Buffer.from([0x80, 0x04, 0x95])); // PROTO 4, FRAME
    bytes[pickleStart + 20] ^= 0xff;
    expect(errorOf(() => loadPth(bytes, 'p.pth'))).to.contain('CRC');
  });
});
