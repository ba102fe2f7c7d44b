// The zip reader on archives assembled by hand here (field layout from PKWARE's APPNOTE) and on torch.save output.

import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import { crc32, readZip } from '../../../../compiler/frontend/weights/zip-reader.ts';

const PAYLOAD = new TextEncoder().encode('123456789');
/** The CRC-32 check value of "123456789" from the CRC catalogue. */
const PAYLOAD_CRC = 0xcbf43926;

interface HandEntry {
  name: string;
  data: Uint8Array;
  method?: number;
  size?: number;
  crc?: number;
  flags?: number;
}

/** A minimal zip: local header + data per entry, central directory, end record. */
function makeZip(entries: HandEntry[]): Uint8Array {
  const parts: number[] = [];
  const central: number[] = [];
  const u16 = (a: number[], n: number) => a.push(n & 0xff, (n >> 8) & 0xff);
  const u32 = (a: number[], n: number) => a.push(n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff);
  for (const e of entries) {
    const name = [...new TextEncoder().encode(e.name)];
    const offset = parts.length;
    const size = e.size ?? e.data.length;
    u32(parts, 0x04034b50); u16(parts, 20); u16(parts, e.flags ?? 0); u16(parts, e.method ?? 0); u32(parts, 0);
    u32(parts, e.crc ?? PAYLOAD_CRC); u32(parts, e.data.length); u32(parts, size); u16(parts, name.length); u16(parts, 0);
    parts.push(...name, ...e.data);
    u32(central, 0x02014b50); u16(central, 20); u16(central, 20); u16(central, e.flags ?? 0); u16(central, e.method ?? 0); u32(central, 0);
    u32(central, e.crc ?? PAYLOAD_CRC); u32(central, e.data.length); u32(central, size); u16(central, name.length); u16(central, 0); u16(central, 0);
    u16(central, 0); u16(central, 0); u32(central, 0); u32(central, offset);
    central.push(...name);
  }
  const dirOffset = parts.length;
  parts.push(...central);
  u32(parts, 0x06054b50); u16(parts, 0); u16(parts, 0); u16(parts, entries.length); u16(parts, entries.length);
  u32(parts, central.length); u32(parts, dirOffset); u16(parts, 0);
  return Uint8Array.from(parts);
}

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
    const cases: [HandEntry, string][] = [
      [{ name: 'e', data: PAYLOAD, flags: 1 }, 'encrypted'],
      [{ name: 'm', data: PAYLOAD, method: 12 }, 'compression method 12'],
      [{ name: 'c', data: PAYLOAD, crc: 1234 }, 'CRC'],
      [{ name: 'd', data: deflateRawSync(PAYLOAD), method: 8, size: 5 }, 'inflate'],
      [{ name: 'big', data: PAYLOAD, method: 8, size: 2 ** 31 }, 'more than'],
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
