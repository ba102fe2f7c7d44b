// The zip reader on archives assembled by hand here (field layout from PKWARE's APPNOTE) and on torch.save output.

import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import { crc32, readZip } from '../../../../compiler/frontend/weights/zip-reader.ts';
import type { HandEntry } from './hand-made.ts';
import { makeZip as makeZipWithCrc } from './hand-made.ts';

const PAYLOAD = new TextEncoder().encode('123456789');
/** The CRC-32 check value of "123456789" from the CRC catalogue. */
const PAYLOAD_CRC = 0xcbf43926;

/** Entries default to PAYLOAD's catalogue CRC. */
const makeZip = (entries: (Omit<HandEntry, 'crc'> & { crc?: number })[]) => makeZipWithCrc(entries.map((e) => ({ crc: PAYLOAD_CRC, ...e })));

function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return expect.fail('expected an error');
}

describe('zip reader', () => {
  it('computes the catalogue CRC-32 check value', () => {
    expect(crc32(PAYLOAD)).to.equal(PAYLOAD_CRC);
  });

  it('reads stored and deflated entries', () => {
    const zip = makeZip([{ name: 'a/stored', data: PAYLOAD }, { name: 'a/deflated', data: deflateRawSync(PAYLOAD), method: 8, size: 9 }]);
    const entries = readZip(zip, 'hand.zip');
    expect(new TextDecoder().decode(entries.get('a/stored')!.data)).to.equal('123456789');
    expect(new TextDecoder().decode(entries.get('a/deflated')!.data)).to.equal('123456789');
  });

  it('reads a torch.save archive (data-descriptor flag, aligned extra fields, zip64 end record)', () => {
    const entries = readZip(readFileSync('fixtures/weights/tiny/state_dict.pth'), 'state_dict.pth');
    const names = [...entries.keys()];
    expect(names.filter((n) => n.endsWith('/data.pkl'))).to.have.length(1);
    expect(names.some((n) => /\/data\/\d+$/.test(n))).to.equal(true);
  });

  it('refuses encrypted entries, unknown methods, bad CRCs and lying deflate sizes, one line each', () => {
    const cases: [Omit<HandEntry, 'crc'> & { crc?: number }, string][] = [
      [{ name: 'e', data: PAYLOAD, flags: 1 }, 'encrypted'],
      [{ name: 'm', data: PAYLOAD, method: 12 }, 'compression method 12'],
      [{ name: 'c', data: PAYLOAD, crc: 1234 }, 'CRC'],
      [{ name: 'd', data: deflateRawSync(PAYLOAD), method: 8, size: 5 }, 'inflate'],
      [{ name: 'big', data: PAYLOAD, method: 8, size: 2 ** 31 }, 'more than'],
      [{ name: 'z64', data: PAYLOAD, size: 0xffffffff }, 'zip64'],
    ];
    for (const [entry, reason] of cases) {
      const message = errorOf(() => readZip(makeZip([entry]), 'bad.zip'));
      expect(message).to.match(/^bad\.zip: /).and.contain(reason).and.not.contain('\n');
    }
  });

  it('refuses truncated archives and files that are not zips', () => {
    const zip = makeZip([{ name: 'x', data: PAYLOAD }]);
    expect(errorOf(() => readZip(zip.subarray(0, zip.length - 5), 't.zip'))).to.contain('no end-of-central-directory');
    expect(errorOf(() => readZip(new TextEncoder().encode('just text, no archive here'), 't.zip'))).to.contain('not a zip');
    // End record intact but pointing at a central directory past the data that remains.
    const shifted = zip.slice();
    new DataView(shifted.buffer).setUint32(shifted.length - 6, 1000, true);
    expect(errorOf(() => readZip(shifted, 't.zip'))).to.contain('outside the file');
  });
});
