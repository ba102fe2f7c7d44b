// Format-blind mutations of a byte string, the fallback every format mixes in: bit flips, "interesting" integers
// over 1/2/4/8 bytes (lengths and counts are where parsers trust their input), truncation, splices and repeats.

import type { Random } from './random.ts';

const INTERESTING_32 = [0, 1, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffffe];

export function mutateBytes(input: Uint8Array, r: Random): Uint8Array {
  if (input.length === 0) return Uint8Array.of(r.int(256));
  const out = new Uint8Array(input);
  const at = r.int(out.length);
  switch (r.int(7)) {
    case 0: // flip one bit
      out[at] ^= 1 << r.int(8);
      return out;
    case 1: // one random byte
      out[at] = r.int(256);
      return out;
    case 2: { // an interesting little-endian integer
      const v = r.pick(INTERESTING_32);
      const width = r.pick([1, 2, 4, 8]);
      for (let i = 0; i < width && at + i < out.length; i++) out[at + i] = i < 4 ? (v >>> (8 * i)) & 0xff : v > 0x7fffffff ? 0xff : 0;
      return out;
    }
    case 3: // truncate
      return out.subarray(0, at);
    case 4: { // delete a run
      const len = 1 + r.int(Math.min(64, out.length - at));
      return concat(out.subarray(0, at), out.subarray(at + len));
    }
    case 5: { // repeat a run in place
      const len = 1 + r.int(Math.min(64, out.length - at));
      return concat(out.subarray(0, at + len), out.subarray(at, at + len), out.subarray(at + len));
    }
    default: { // random bytes inserted
      const extra = new Uint8Array(1 + r.int(16)).map(() => r.int(256));
      return concat(out.subarray(0, at), extra, out.subarray(at));
    }
  }
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
