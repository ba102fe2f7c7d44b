// ts-morph (with the TypeScript compiler it bundles) takes ~0.9 s to load on the development machines, more than
// the rest of a compile's JavaScript side together. Emitted modules usually come from the emit cache
// (emit-cache.ts), so it is loaded on first use only, synchronously because a target's emit is synchronous.

import { createRequire } from 'node:module';
import type * as TsMorph from 'ts-morph';

let loaded: typeof TsMorph | undefined;

export function tsMorph(): typeof TsMorph {
  loaded ??= createRequire(import.meta.url)('ts-morph') as typeof TsMorph;
  return loaded;
}

/** Versions of ts-morph and the compiler it bundles, read without loading either (part of emit cache keys). */
export function tsMorphVersions(): string {
  const require = createRequire(import.meta.url);
  const own = require.resolve('ts-morph/package.json');
  const common = createRequire(own).resolve('@ts-morph/common/package.json');
  return [own, common].map((p) => (require(p) as { version: string }).version).join('+');
}
