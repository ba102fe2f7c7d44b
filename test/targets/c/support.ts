// Shared by the C/NEON/wasm target tests: the fixture manifest, compiling a fixture through the pipeline,
// writing artifacts to a scratch folder, and comparing logits.

import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importOnnx } from '../../../compiler/frontend/onnx/import-onnx.ts';
import type { Graph } from '../../../compiler/ir/types.ts';
import { RELU_EPILOGUE } from '../../../compiler/ir/conv-epilogue.ts';
import { runPipeline } from '../../../compiler/pipeline.ts';
import { cTarget } from '../../../targets/c/c-target.ts';
import type { Artifact } from '../../../compiler/target.ts';
import { readNpy } from '../../../runtime/npy.ts';

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const FIXTURES = join(REPO, 'fixtures');

export interface Fixture {
  readonly name: string;
  readonly input_shape: number[];
  readonly output_shape: number[];
  readonly stages_out_channels?: number[];
  readonly files: { model: string; input: string; output: string };
}

export const manifest = JSON.parse(readFileSync(join(FIXTURES, 'manifest.json'), 'utf8')) as {
  tolerance: { abs: number };
  fixtures: Fixture[];
  /** The paper's variants and ShuffleNetV2+ (SE, residual, v2*, h-swish / hard-sigmoid, relu6 as Clip). */
  variant_fixtures?: Fixture[];
};

/** Fixtures with at most `maxInput` input floats (the small ones, for slow paths: qemu, sanitizers). */
export function smallFixtures(maxInput = 3 * 64 * 64): Fixture[] {
  return manifest.fixtures.filter((f) => f.input_shape.reduce((a, b) => a * b, 1) <= maxInput);
}

/** The fixture through the passes as the C targets get it (fusing only the conv epilogues they render). */
export function compiledGraph(f: Fixture): Graph {
  const imported = importOnnx(readFileSync(join(FIXTURES, f.files.model)), { file: f.files.model, inputShape: f.input_shape });
  return runPipeline(imported, { warn: () => undefined, epilogues: cTarget.epilogues ?? RELU_EPILOGUE });
}

export function fixtureTensors(f: Fixture): { input: Float32Array; golden: Float32Array } {
  return {
    input: readNpy(readFileSync(join(FIXTURES, f.files.input))).data as Float32Array,
    golden: readNpy(readFileSync(join(FIXTURES, f.files.output))).data as Float32Array,
  };
}

export function scratchDir(tag: string): string {
  return mkdtempSync(join(tmpdir(), `snv2c-test-${tag}-`));
}

export function writeArtifacts(dir: string, artifacts: readonly Artifact[]): void {
  for (const a of artifacts) {
    mkdirSync(dirname(join(dir, a.path)), { recursive: true });
    writeFileSync(join(dir, a.path), a.contents);
  }
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return Number.isNaN(d) ? Infinity : d;
}

/** Top-1 class of each batch row. */
export function top1(logits: ArrayLike<number>, classes: number): number[] {
  const rows: number[] = [];
  for (let r = 0; r * classes < logits.length; r++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (logits[r * classes + c] > logits[r * classes + best]) best = c;
    rows.push(best);
  }
  return rows;
}

export const STRICT_FLAGS = ['-O2', '-Wall', '-Wextra', '-Werror', '-pedantic'];
