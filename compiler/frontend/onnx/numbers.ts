// protobufjs hands int64 fields over as Long objects (or plain numbers when small); the IR holds them as doubles.

interface LongLike {
  toNumber(): number;
}

/** INT64 extremes (used by exporters to mean "to the end") saturate to ±2^53, as compiler/ir/types.ts specifies. */
const LIMIT = 2 ** 53;

export function toNumber(x: number | LongLike | null | undefined): number {
  if (x == null) return 0;
  const n = typeof x === 'number' ? x : x.toNumber();
  return Math.max(-LIMIT, Math.min(LIMIT, n));
}
