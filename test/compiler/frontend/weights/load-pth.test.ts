// torch.save archives read without Python: golden values are what PyTorch itself read back (data/expected.json,
// fixtures' PyTorch outputs); hostile and broken files come from fixtures/bad (see fixtures/manifest.json).

import { expect } from 'chai';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { loadPth } from '../../../../compiler/frontend/weights/load-pth.ts';
import { loadWeights } from '../../../../compiler/frontend/weights/load-weights.ts';
import { oneLineErrorOf as errorOf } from '../../../support/one-line-error.ts';
import { crc32 } from '../../../../compiler/frontend/weights/zip-reader.ts';
import { makeZip, tensorDictPickle } from './hand-made.ts';

const DATA = 'test/compiler/frontend/weights/data';
const expected = JSON.parse(readFileSync(`${DATA}/expected.json`, 'utf8')) as Record<string, { shape: number[]; data: number[] }>;
const PWNED = '/tmp/snv2c-pwned';

const load = (path: string) => loadWeights(readFileSync(path), path);

/** A torch-style archive around a hand-assembled pickle and one float32 storage holding 0, 1, 2, ... */
function handArchive(pickle: Uint8Array, storageFloats: number): Uint8Array {
  const storage = new Uint8Array(new Float32Array(Array.from({ length: storageFloats }, (_, i) => i)).buffer);
  return makeZip([
    { name: 'hand/data.pkl', data: pickle, crc: crc32(pickle) },
    { name: 'hand/data/0', data: storage, crc: crc32(storage) },
  ]);
}

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
    expect(errorOf(() => load(`${DATA}/int64.pth`))).to.contain('"steps" has dtype i64');
    expect(errorOf(() => load('fixtures/bad/float64_weights.pth'))).to.contain('"conv1.0.weight" has dtype f64');
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
      expect(errorOf(() => load(`fixtures/bad/${file}`))).to.contain(`global "${global}" is not allowed`).and.contain(file);
      expect(existsSync(PWNED)).to.equal(false);
    });
  }

  it('refuses truncated archives, wrong magic and undersized storages in one line', () => {
    expect(errorOf(() => load('fixtures/bad/truncated.pth'))).to.contain('truncated');
    expect(errorOf(() => loadWeights(new TextEncoder().encode('GIF89a not weights'), 'w.pth'))).to.contain('wrong magic');
    expect(errorOf(() => load('fixtures/bad/storage_too_small.pth'))).to.contain('storage "168" holds 4608 bytes').and.contain('9216 bytes');
  });

  it('reads a hand-assembled archive: a [2, 2] view at offset 1 with strides [1, 2] of storage 0..5', () => {
    const w = loadPth(handArchive(tensorDictPickle('w', 6, 1, [2, 2], [1, 2]), 6), 'hand.pth');
    // element [i][j] = storage[1 + i + 2j]
    expect(w.get('w')).to.deep.equal({ shape: [2, 2], data: Float32Array.from([1, 3, 2, 4]) });
  });

  it('refuses absurd dimensions, views past their storage and storages whose size disagrees with the pickle', () => {
    expect(errorOf(() => loadPth(handArchive(tensorDictPickle('w', 4, 0, [2 ** 20, 2 ** 20], [2 ** 20, 1]), 4), 'hand.pth'))).to.contain('"w" has absurd dimensions');
    expect(errorOf(() => loadPth(handArchive(tensorDictPickle('w', 4, 0, [2 ** 30], [1]), 4), 'hand.pth'))).to.contain('tensor size must be an integer');
    expect(errorOf(() => loadPth(handArchive(tensorDictPickle('w', 6, 1, [2, 3], [3, 1]), 6), 'hand.pth'))).to.contain('reaches past its storage of 6 elements');
    expect(errorOf(() => loadPth(handArchive(tensorDictPickle('w', 8, 0, [2], [1]), 6), 'hand.pth'))).to.contain('holds 24 bytes, the pickle says 8 f32 elements');
  });

  it('refuses an archive whose bytes were altered behind a valid zip index', () => {
    const bytes = new Uint8Array(readFileSync(`${DATA}/protocol4.pth`));
    const pickleStart = Buffer.from(bytes).indexOf(Buffer.from([0x80, 0x04, 0x95])); // PROTO 4, FRAME
    bytes[pickleStart + 20] ^= 0xff;
    expect(errorOf(() => loadPth(bytes, 'p.pth'))).to.contain('CRC');
  });
});
