// Native C (-O3 -march=native, 1 thread) and the wasm build (in this Node) against onnxruntime-node (1 intra-op
// thread) on the same ShuffleNetV2 ONNX models, all timed in this run. Prints each median and the ratio
// onnxruntime / snv2c (>1 means snv2c is faster). Machines are noisy: compare ratios from one run, not ms.
//   npx tsx bench/c-vs-ort.ts [model.onnx ...] [--runs N] [--cc gcc,clang] [--no-wasm]
// Default models: x1.0 and x0.5 fixtures. The C side is timed inside a small C main (no pipe or process overhead
// in the figure), after warm-up runs; wasm and onnxruntime are timed around each call in JavaScript.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { compile, loadCompiled, type CompileOptions } from '../api/index.ts';

const args = process.argv.slice(2);
const option = (flag: string) => (args.indexOf(flag) >= 0 ? args[args.indexOf(flag) + 1] : undefined);
const fixture = (dir: string) => new URL(`../fixtures/${dir}/model.onnx`, import.meta.url).pathname;
const models = args.filter((a) => a.endsWith('.onnx'));
if (models.length === 0) models.push(fixture('tv_x1_0_224_o11_folded'), fixture('tv_x0_5_224_o13_bn'));
const runs = Number(option('--runs') ?? 200);
const compilers = (option('--cc') ?? (process.env.CC || 'gcc')).split(',');
const withWasm = !args.includes('--no-wasm');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const BENCH_MAIN = `#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "net.h"
static float in[NET_INPUT_SIZE], out[NET_OUTPUT_SIZE];
static int cmp(const void *a, const void *b) { double x = *(const double *)a, y = *(const double *)b; return x < y ? -1 : x > y; }
int main(int argc, char **argv) {
  int runs = argc > 1 ? atoi(argv[1]) : 1, i; double *t = malloc(sizeof(double) * runs); struct timespec a, b;
  FILE *f = fopen("input.bin", "rb"); if (!f || fread(in, sizeof(float), NET_INPUT_SIZE, f) != NET_INPUT_SIZE) return 1; fclose(f);
  for (i = 0; i < 20; i++) net_run(in, out);
  for (i = 0; i < runs; i++) { clock_gettime(CLOCK_MONOTONIC, &a); net_run(in, out); clock_gettime(CLOCK_MONOTONIC, &b);
    t[i] = (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6; }
  qsort(t, runs, sizeof(double), cmp);
  printf("%f %f\\n", t[runs / 2], (double)out[0]);
  return 0;
}
`;

/** Median ms and first logit of the native build with `cc`. */
function timeNative(dir: string, cc: string): [number, number] {
  if (!existsSync(join(dir, `bench_${cc}`))) {
    const build = spawnSync(cc, ['-std=c99', '-O3', '-march=native', '-o', `bench_${cc}`, 'net.c', 'net_weights.c', 'bench_main.c'], { cwd: dir, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`${cc} failed: ${build.stderr}`);
  }
  const run = spawnSync(join(dir, `bench_${cc}`), [String(runs)], { cwd: dir, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`bench failed: ${run.stderr}`);
  const [ms, first] = run.stdout.trim().split(' ').map(Number);
  return [ms, first];
}

async function timeJs(call: () => Promise<number> | number): Promise<[number, number]> {
  let first = 0;
  for (let i = 0; i < 20; i++) first = await call();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await call();
    times.push(performance.now() - t0);
  }
  return [median(times), first];
}

/** The wasm build through its emitted module (baseline SIMD128 in Node 20). */
const wasmModel = async (bytes: Uint8Array, file: string) => loadCompiled(await compile(bytes, { ...compileOptions(file), target: 'wasm' }));

const compileOptions = (file: string): Omit<CompileOptions, 'target'> => ({ name: 'net', file, inputShape: [1, 3, 224, 224], warn: () => undefined });

for (const modelPath of models) {
  const bytes = readFileSync(modelPath);
  const compiled = await compile(bytes, { ...compileOptions(modelPath), target: 'c' });
  const cSources = compiled.artifacts.filter((a) => /\.[ch]$/.test(a.path));
  const dir = mkdtempSync(join(tmpdir(), 'snv2c-bench-'));
  const input = new Float32Array(3 * 224 * 224).map((_, i) => Math.sin(i * 0.37) * 0.5);
  try {
    for (const a of cSources) writeFileSync(join(dir, a.path), a.contents);
    writeFileSync(join(dir, 'input.bin'), new Uint8Array(input.buffer));
    writeFileSync(join(dir, 'bench_main.c'), BENCH_MAIN);
    const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' });
    const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', input, [1, 3, 224, 224]) };
    const ortRun = async () => ((await session.run(feeds))[session.outputNames[0]].data as Float32Array)[0];
    console.log(`model: ${modelPath}  (arena ${compiled.report.memory.arenaBytes} bytes)`);
    const line = (label: string, ms: number, first: number, ortMs: number, ortFirst: number) =>
      console.log(`  ${label.padEnd(34)} ${ms.toFixed(3)} ms vs onnxruntime ${ortMs.toFixed(3)} ms  ratio ${(ortMs / ms).toFixed(2)}x  (logit[0] ${first.toFixed(5)} / ${ortFirst.toFixed(5)})`);
    // Each side is timed twice, interleaved (ort, snv2c, ort, snv2c), and keeps its lower median: a busy stretch
    // of the machine then rarely lands on only one side of a ratio.
    const compare = async (label: string, timeSnv2c: () => Promise<[number, number]>) => {
      const [o1, ortFirst] = await timeJs(ortRun);
      const [s1, first] = await timeSnv2c();
      const [o2] = await timeJs(ortRun);
      const [s2] = await timeSnv2c();
      line(label, Math.min(s1, s2), first, Math.min(o1, o2), ortFirst);
    };
    for (const cc of compilers) await compare(`C ${cc} -O3 -march=native, 1 thread`, async () => timeNative(dir, cc));
    if (withWasm) {
      const wasm = await wasmModel(bytes, modelPath);
      try {
        await compare('wasm (clang -O3 -msimd128) in Node', () => timeJs(() => (wasm.run(input) as Float32Array)[0]));
      } finally {
        wasm.dispose();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
