// Native C (x86, -O3 -march=native, 1 thread) against onnxruntime-node (1 intra-op thread) on the same ShuffleNetV2
// x1.0 ONNX model, both timed in this run. Prints each median and the ratio (onnxruntime / snv2c: >1 means faster).
//   npx tsx bench/c-vs-ort.ts [model.onnx] [--runs N]
// The C side is timed inside a small C main (no pipe or process overhead in the figure), after warm-up runs.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { importOnnx } from '../compiler/frontend/onnx/import-onnx.ts';
import { runPipeline } from '../compiler/pipeline.ts';
import { planMemory } from '../compiler/plan/plan-memory.ts';
import { emitCModel } from '../targets/c/emit-model.ts';

const args = process.argv.slice(2);
const modelPath = args.find((a) => a.endsWith('.onnx')) ?? new URL('../fixtures/tv_x1_0_224_o11_folded/model.onnx', import.meta.url).pathname;
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 200;
const cc = process.env.CC || 'gcc';
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const bytes = readFileSync(modelPath);
const graph = runPipeline(importOnnx(bytes, { file: modelPath, inputShape: [1, 3, 224, 224] }), { warn: () => undefined });
const emitted = emitCModel(graph, planMemory(graph), { name: 'net', neon: false });
const dir = mkdtempSync(join(tmpdir(), 'snv2c-bench-'));
const input = new Float32Array(3 * 224 * 224).map((_, i) => Math.sin(i * 0.37) * 0.5);
try {
  for (const a of emitted.artifacts) writeFileSync(join(dir, a.path), a.contents);
  writeFileSync(join(dir, 'input.bin'), new Uint8Array(input.buffer));
  writeFileSync(
    join(dir, 'bench_main.c'),
    `#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "net.h"
static float in[NET_INPUT_SIZE], out[NET_OUTPUT_SIZE];
static int cmp(const void *a, const void *b) { double x = *(const double *)a, y = *(const double *)b; return x < y ? -1 : x > y; }
int main(int argc, char **argv) {
  int runs = atoi(argv[1]), i; double *t = malloc(sizeof(double) * runs); struct timespec a, b;
  FILE *f = fopen("input.bin", "rb"); if (!f || fread(in, sizeof(float), NET_INPUT_SIZE, f) != NET_INPUT_SIZE) return 1; fclose(f);
  for (i = 0; i < 20; i++) net_run(in, out);
  for (i = 0; i < runs; i++) { clock_gettime(CLOCK_MONOTONIC, &a); net_run(in, out); clock_gettime(CLOCK_MONOTONIC, &b);
    t[i] = (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6; }
  qsort(t, runs, sizeof(double), cmp);
  printf("%f %f\\n", t[runs / 2], (double)out[0]);
  return 0;
}
`,
  );
  const build = spawnSync(cc, ['-std=c99', '-O3', '-march=native', '-o', 'bench', 'net.c', 'net_weights.c', 'bench_main.c'], { cwd: dir, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`${cc} failed: ${build.stderr}`);
  const run = spawnSync(join(dir, 'bench'), [String(runs)], { cwd: dir, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`bench failed: ${run.stderr}`);
  const [cMs, cFirst] = run.stdout.trim().split(' ').map(Number);

  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' });
  const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', input, [1, 3, 224, 224]) };
  let ortFirst = 0;
  for (let i = 0; i < 20; i++) ortFirst = ((await session.run(feeds))[session.outputNames[0]].data as Float32Array)[0];
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await session.run(feeds);
    times.push(performance.now() - t0);
  }
  const ortMs = median(times);
  console.log(`model: ${modelPath}`);
  console.log(`snv2c C (${cc} -O3 -march=native, 1 thread): median ${cMs.toFixed(3)} ms  (arena ${emitted.arenaBytes} bytes)`);
  console.log(`onnxruntime-node (1 intra-op thread):      median ${ortMs.toFixed(3)} ms`);
  console.log(`check: logit[0] C ${cFirst.toFixed(6)} vs onnxruntime ${ortFirst.toFixed(6)}`);
  console.log(`ratio onnxruntime / snv2c = ${(ortMs / cMs).toFixed(2)}x`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
