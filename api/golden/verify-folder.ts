// `snv2c verify <dir>`: runs a compiled folder through the module it emitted (what users import) on the inputs
// in its golden/ folder and compares with the reference outputs there, within the manifest's tolerance.

import { join } from 'node:path';
import { CompileError } from '../../compiler/ir/errors.ts';
import { readNpy } from '../../runtime/npy.ts';
import { loadCompiledFolder } from '../load-compiled.ts';
import { readInputFile } from '../read-file.ts';
import type { GoldenManifest } from './golden-artifacts.ts';

export interface VerifiedCase {
  readonly input: string;
  /** Largest |compiled - reference| over the outputs (Infinity for a NaN). */
  readonly maxAbsDiff: number;
}

export interface VerifyResult {
  readonly model: string;
  readonly target: string;
  readonly tolerance: number;
  readonly cases: readonly VerifiedCase[];
  readonly pass: boolean;
}

function readManifest(dir: string): GoldenManifest {
  const file = join(dir, 'golden', 'manifest.json');
  let manifest: GoldenManifest;
  try {
    manifest = JSON.parse(new TextDecoder().decode(readInputFile(file))) as GoldenManifest;
  } catch (e) {
    if (e instanceof CompileError) throw new CompileError(`${e.reason} (compile with --golden to write golden files)`, { file, kind: 'io' });
    throw new CompileError(`not valid JSON: ${(e as Error).message}`, { file, kind: 'invalid-input' });
  }
  const valid = typeof manifest?.model === 'string' && /^[A-Za-z][A-Za-z0-9_]*$/.test(manifest.model) && typeof manifest.tolerance?.abs === 'number' && Array.isArray(manifest.cases);
  if (!valid) throw new CompileError('not a snv2c golden manifest (model, tolerance.abs, cases)', { file, kind: 'invalid-input' });
  return manifest;
}

function maxAbsDiff(actual: Float32Array, expected: Float32Array): number {
  if (actual.length !== expected.length) return Infinity;
  let diff = 0;
  for (let i = 0; i < actual.length; i++) {
    const d = Math.abs(actual[i] - expected[i]);
    if (!(d <= diff)) diff = Number.isNaN(d) ? Infinity : d;
  }
  return diff;
}

export async function verifyFolder(dir: string): Promise<VerifyResult> {
  const manifest = readManifest(dir);
  const golden = (file: string) => {
    const path = join(dir, 'golden', file);
    return readNpy(readInputFile(path), path).data;
  };
  const model = await loadCompiledFolder(dir, manifest.model);
  try {
    const cases: VerifiedCase[] = [];
    for (const c of manifest.cases) cases.push({ input: c.input, maxAbsDiff: maxAbsDiff(await model.run(golden(c.input)), golden(c.output)) });
    const pass = cases.every((c) => c.maxAbsDiff <= manifest.tolerance.abs);
    return { model: manifest.model, target: manifest.target, tolerance: manifest.tolerance.abs, cases, pass };
  } finally {
    model.dispose();
  }
}
