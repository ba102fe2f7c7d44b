// The `snv2c bench --json` document. Its schema is fixed (tools read it):
//   { model, target, runs, minMs, medianMs, p90Ms, imagesPerSecond,
//     layers: [{ name, op, ms, share, macs, gmacPerSecond, macBytes }], byKind: { <kind>: ms } }
// with `layers` and `byKind` only under --profile. The times are the model's own where the target measures
// them apart from the per-call overhead (c, neon, wasm), else whole calls (wgsl).

import { headline, type BenchResult } from '../bench-model.ts';

export function benchJson(r: BenchResult) {
  const t = headline(r.snv2c);
  return {
    model: r.model,
    target: r.target,
    runs: r.runs,
    minMs: t.minMs,
    medianMs: t.medianMs,
    p90Ms: t.p90Ms,
    imagesPerSecond: r.imagesPerSecond,
    ...(r.profile
      ? {
          layers: r.profile.layers.map((l) => ({ name: l.name, op: l.op, ms: l.ms, share: l.share, macs: l.macs, gmacPerSecond: l.gmacPerSecond, macBytes: l.macBytes })),
          byKind: r.profile.byKind,
        }
      : {}),
  };
}
