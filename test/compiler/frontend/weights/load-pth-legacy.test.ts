// torch.save's legacy (pre-1.6, non-zip) format read without Python. Golden values are what torch.load itself read
// back from files torch's own legacy writer made (data/generate.py); hostile and broken streams are assembled by
// hand from the layout in torch/serialization.py (_legacy_save) so each test states exactly which bytes it feeds.

import { expect } from 'chai';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { isLegacyTorchSave, loadLegacyPth } from '../../../../compiler/frontend/weights/load-pth-legacy.ts';
import { loadWeights } from '../../../../compiler/frontend/weights/load-weights.ts';
import { oneLineErrorOf as errorOf } from '../../../support/one-line-error.ts';
import { op, tensorDictPickle } from './hand-made.ts';

const DATA = 'test/compiler/frontend/weights/data';
type Expected = Record<string, { shape: number[]; data: number[] }>;
const expected = JSON.parse(readFileSync(`${DATA}/expected.json`, 'utf8')) as Expected;
const moduleExpected = JSON.parse(readFileSync(`${DATA}/legacy_module.json`, 'utf8')) as Expected;
const PWNED = '/tmp/snv2c-pwned';

const load = (path: string) => loadWeights(readFileSync(path), path);

function expectWeights(file: string, want: Expected): void {
  const w = load(file);
  expect([...w.keys()].sort(), file).to.deep.equal(Object.keys(want).sort());
  for (const [key, t] of w) {
    expect(t.shape, key).to.deep.equal(want[key].shape);
    expect([...t.data], key).to.deep.equal(want[key].data.map(Math.fround));
  }
}

// The stream's fixed head, from pickletools: PROTO 2, LONG1 of the 10 little-endian bytes of the magic number, STOP;
// PROTO 2, BININT2 1001, STOP; PROTO 2, EMPTY_DICT (sys_info; its contents are ignored), STOP.
const MAGIC = 0x1950a86a20f9469cfc6cn;
const magicBytes = Array.from({ length: 10 }, (_, i) => Number((MAGIC >> BigInt(8 * i)) & 0xffn));
const HEAD = [...op.PROTO2, 0x8a, 10, ...magicBytes, op.STOP, ...op.PROTO2, 0x4d, 1001 & 0xff, 1001 >> 8, op.STOP, ...op.PROTO2, op.EMPTY_DICT, op.STOP];

/** HEAD, the object pickle, the key list ['0'], then storage '0': an int64 element count and float32 0, 1, 2, ... */
function legacyStream(objectPickle: ArrayLike<number>, count: number, floats: number, keys = ['0']): Uint8Array {
  const keyList = [...op.PROTO2, op.MARK, ...keys.flatMap(op.binunicode), op.LIST, op.STOP];
  const countBytes = new Uint8Array(new BigInt64Array([BigInt(count)]).buffer); // x86/arm hosts: little-endian
  const data = new Uint8Array(new Float32Array(Array.from({ length: floats }, (_, i) => i)).buffer);
  return Uint8Array.from([...HEAD, ...Array.from(objectPickle), ...keyList, ...countBytes, ...data]);
}

/** The legacy persistent id ends in view_metadata; None for every storage torch >= 1.6 writes. */
const NO_VIEW = [op.NONE];

describe('loading legacy .pth (pre-1.6 torch.save)', () => {
  it('reads strided views, offsets, shared storages, nn.Parameter, float16 and bfloat16 as PyTorch does', () => {
    expectWeights(`${DATA}/legacy_views.pth`, Object.fromEntries(Object.entries(expected).filter(([k]) => k !== 'a')));
  });

  it('reads a protocol-4 (framed) legacy file, skipping int64 num_batches_tracked', () => {
    expectWeights(`${DATA}/legacy_protocol4.pth`, { a: expected.a });
  });

  it('reads an nn.Module state_dict (OrderedDict with _metadata) as PyTorch does', () => {
    expectWeights(`${DATA}/legacy_module.pth`, moduleExpected);
  });

  it('reads the fixtures legacy file to the same tensors as the tiny zip state_dict (torch.load agrees, see manifest)', () => {
    const manifest = JSON.parse(readFileSync('fixtures/manifest.json', 'utf8')) as { bad: { file: string; same_weights_as?: string }[] };
    expect(manifest.bad.find((e) => e.file === 'bad/legacy_format.pth')?.same_weights_as).to.equal('weights/tiny');
    const legacy = load('fixtures/bad/legacy_format.pth');
    const zip = load('fixtures/weights/tiny/state_dict.pth');
    expect([...legacy.keys()]).to.deep.equal([...zip.keys()]);
    for (const [k, t] of zip) expect(legacy.get(k), k).to.deep.equal(t);
  });

  it('reads a hand-assembled stream: a [2, 2] view at offset 1 with strides [1, 2] of storage 0..5', () => {
    const bytes = legacyStream(tensorDictPickle('w', 6, 1, [2, 2], [1, 2], NO_VIEW), 6, 6);
    expect(isLegacyTorchSave(bytes)).to.equal(true);
    expect(loadLegacyPth(bytes, 'hand.pth').get('w')).to.deep.equal({ shape: [2, 2], data: Float32Array.from([1, 3, 2, 4]) });
  });

  for (const [module, name] of [['os', 'system'], ['posix', 'system'], ['builtins', 'eval']]) {
    it(`refuses a legacy stream whose object pickle calls ${module}.${name}, and its payload never runs`, () => {
      // {'w': os.system('touch /tmp/snv2c-pwned')} where the state_dict should be.
      const evil = [...op.PROTO2, op.EMPTY_DICT, ...op.binunicode('w'), ...op.global(module, name), ...op.binunicode(`touch ${PWNED}`), op.TUPLE1, op.REDUCE, op.SETITEM, op.STOP];
      rmSync(PWNED, { force: true });
      expect(errorOf(() => loadWeights(legacyStream(evil, 6, 6), 'evil.pth'))).to.contain(`global "${module}.${name}" is not allowed`).and.contain('evil.pth');
      expect(existsSync(PWNED)).to.equal(false);
    });
  }

  it('gives a one-line error for the file cut at every byte, naming truncation in the pickles and the storage data', () => {
    const whole = readFileSync(`${DATA}/legacy_views.pth`);
    const messages = new Set<string>();
    for (let cut = 0; cut < whole.length; cut++) messages.add(errorOf(() => loadWeights(whole.subarray(0, cut), 'cut.pth')));
    const all = [...messages].join(' | ');
    expect(all).to.contain('wrong magic bytes'); // cut inside the magic number: not recognisably a torch file
    expect(all).to.contain('legacy state_dict pickle: pickle byte').and.contain('truncated pickle');
    expect(all).to.contain('legacy storage key list');
    expect(all).to.contain('before its element count (truncated?)');
    expect(all).to.match(/needs \d+ bytes, only \d+ left \(truncated\?\)/);
  });

  it('refuses element counts, views and storages that disagree with the pickle', () => {
    const good = tensorDictPickle('w', 6, 0, [6], [1], NO_VIEW);
    expect(errorOf(() => loadLegacyPth(legacyStream(good, 5, 5), 'h.pth'))).to.contain('storage "0" holds 5 elements, the pickle says 6');
    expect(errorOf(() => loadLegacyPth(legacyStream(tensorDictPickle('w', 6, 1, [2, 3], [3, 1], NO_VIEW), 6, 6), 'h.pth'))).to.contain('reaches past its storage of 6 elements');
    expect(errorOf(() => loadLegacyPth(legacyStream(tensorDictPickle('w', 2 ** 29, 0, [1], [1], NO_VIEW), 2 ** 29, 0), 'h.pth'))).to.contain('storage size must be an integer');
    expect(errorOf(() => loadLegacyPth(legacyStream(good, 6, 6, ['0', '1']), 'h.pth'))).to.contain('storage "1" is listed but no tensor in the pickle uses it');
    expect(errorOf(() => loadLegacyPth(legacyStream(good, 6, 6, []), 'h.pth'))).to.contain('refers to storage "0", whose data the file lacks');
    const view = [op.MARK, ...op.binunicode('v'), ...op.binint(0), ...op.binint(2), op.TUPLE];
    expect(errorOf(() => loadLegacyPth(legacyStream(tensorDictPickle('w', 6, 0, [2], [1], view), 6, 6), 'h.pth'))).to.contain('storage views (view_metadata) are not supported');
    expect(errorOf(() => loadLegacyPth(legacyStream(tensorDictPickle('w', 6, 0, [6], [1]), 6, 6), 'h.pth'))).to.contain('not a legacy torch storage record');
  });

  it('refuses a wrong format version and is not fooled by a bare pickle without the magic number', () => {
    const wrongVersion = Uint8Array.from(legacyStream(tensorDictPickle('w', 6, 0, [6], [1], NO_VIEW), 6, 6));
    wrongVersion.set([0xea], HEAD.indexOf(0x4d, 15) + 1); // 1001 -> 1002
    expect(errorOf(() => loadLegacyPth(wrongVersion, 'v.pth'))).to.contain('legacy format version 1002 is not 1001');
    const barePickle = tensorDictPickle('w', 6, 0, [6], [1]);
    expect(isLegacyTorchSave(barePickle)).to.equal(false);
    expect(errorOf(() => loadWeights(barePickle, 'bare.pth'))).to.contain('wrong magic bytes');
  });
});
