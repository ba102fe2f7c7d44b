// snv2c's native C against XNNPACK (Debian's libxnnpack-dev, operator API) and onnxruntime-node on the same
// ShuffleNetV2 models and input, all timed in this run and interleaved (each contender twice per model,
// keeping its lower median, so a busy stretch of the machine rarely lands on one side only). Prints medians
// and ratios; snv2c also with 2 threads (its POSIX pool) against itself with 1.
//   npx tsx bench/c-vs-xnnpack.ts [model.onnx ...] [--runs N] [--cc clang] [--threads 2]
// Needs: apt-get install libxnnpack-dev libpthreadpool-dev libcpuinfo-dev (XNNPACK's ShuffleNetV2 is
// bench/xnnpack/shufflenet-xnnpack.c; its weights are the compiled graph's, BN folded, in graph order).
// C contenders are timed inside their own C main (no pipe or process overhead in the figure), after warm-up.
// onnxruntime-node is optional: without it (a machine with only a C compiler) the C contenders run alone and
// their outputs are compared with snv2c's.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compile, writeArtifacts } from '../api/index.ts';
import { denseForm } from '../compiler/ir/dense-form.ts';
import type { Graph } from '../compiler/ir/types.ts';

const args = process.argv.slice(2);
const option = (flag: string) => (args.indexOf(flag) >= 0 ? args[args.indexOf(flag) + 1] : undefined);
const fixture = (dir: string) => new URL(`../fixtures/${dir}/model.onnx`, import.meta.url).pathname;
const models = args.filter((a) => a.endsWith('.onnx'));
if (models.length === 0) models.push(fixture('tv_x0_5_224_o13_bn'), fixture('tv_x1_0_224_o11_folded'));
const runs = Number(option('--runs') ?? 100);
const cc = option('--cc') ?? process.env.CC ?? 'clang';
const threads = Number(option('--threads') ?? 2);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const SNV2C_MAIN = `#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "net.h"
static float in[NET_INPUT_SIZE], out[NET_OUTPUT_SIZE];
static int cmp(const void *a, const void *b) { double x = *(const double *)a, y = *(const double *)b; return x < y ? -1 : x > y; }
int main(int argc, char **argv) {
  int runs = atoi(argv[1]), threads = atoi(argv[2]), i; double *t = malloc(sizeof(double) * runs); struct timespec a, b;
  void *arena = malloc(NET_ARENA_BYTES), *pool = threads > 1 ? net_pool_create(threads) : 0;
  FILE *f = fopen("input.bin", "rb"); if (!f || fread(in, sizeof(float), NET_INPUT_SIZE, f) != NET_INPUT_SIZE) return 1; fclose(f);
  for (i = 0; i < 20 + runs; i++) { clock_gettime(CLOCK_MONOTONIC, &a); net_run_parallel(in, out, arena, pool ? net_pool_parallel_for : 0, pool);
    clock_gettime(CLOCK_MONOTONIC, &b); if (i >= 20) t[i - 20] = (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6; }
  qsort(t, runs, sizeof(double), cmp);
  printf("%f\\n", t[runs / 2]);
  for (i = 0; i < NET_OUTPUT_SIZE; i++) printf("%.9g\\n", out[i]);
  return 0;
}
`;

function build(dir: string, output: string, files: string[], libs: string[] = []): void {
  const r = spawnSync(cc, ['-std=c99', '-O3', '-march=native', '-pthread', '-o', output, ...files, ...libs], { cwd: dir, encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new Error(`${cc} failed building ${output}: ${r.error?.message ?? r.stderr}`);
}

/** A timer for onnxruntime-node on the same model and input: median ms over `runs` after 20 warm-up runs. */
async function onnxRuntimeTimer(runtime: typeof import('onnxruntime-node'), bytes: Uint8Array, input: Float32Array, inputShape: number[]): Promise<() => Promise<[number, Float32Array]>> {
  const session = await runtime.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' });
  const feeds = { [session.inputNames[0]]: new runtime.Tensor('float32', input, inputShape) };
  const once = async () => (await session.run(feeds))[session.outputNames[0]].data as Float32Array;
  return async () => {
    let out = await once();
    for (let i = 1; i < 20; i++) out = await once();
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      await once();
      times.push(performance.now() - t0);
    }
    return [median(times), out];
  };
}

/** Median ms and logits printed by a C contender. */
function timeC(dir: string, command: string[]): [number, Float32Array] {
  const r = spawnSync(command[0], command.slice(1), { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`${command[0]} failed: ${r.stderr}`);
  const [ms, ...logits] = r.stdout.trim().split('\n').map(Number);
  return [ms, Float32Array.from(logits)];
}

/** The XNNPACK program's model.bin: header, then conv kernels as OHWI + bias and the fc, in graph order. */
function xnnpackModel(graph: Graph, repeats: number[], channels: number[], classes: number, size: number[]): Uint8Array {
  const parts: Float32Array[] = [];
  for (const node of graph.nodes) {
    const data = (i: number) => graph.values.get(node.inputs[i])?.data as Float32Array | undefined;
    if (node.op.kind === 'conv2d') {
      const [cout, gin, kh, kw] = graph.values.get(node.inputs[1])!.type.shape;
      const w = data(1)!;
      const ohwi = new Float32Array(w.length);
      for (let o = 0; o < cout; o++)
        for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) for (let i = 0; i < gin; i++) ohwi[((o * kh + y) * kw + x) * gin + i] = w[((o * gin + i) * kh + y) * kw + x];
      parts.push(ohwi, data(2) ?? new Float32Array(cout));
    } else if (node.op.kind === 'dense' || node.op.kind === 'gemm' || node.op.kind === 'matMul') {
      // XNNPACK's fully connected kernel is [classes][features]: the dense form's layout.
      const form = denseForm(graph, node);
      if (typeof form === 'string') throw new Error(`fc: ${form}`);
      parts.push(form.weight, form.bias ?? new Float32Array(form.outFeatures));
    }
  }
  const header = Int32Array.from([...repeats, ...channels, classes, ...size]);
  const floats = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(header.byteLength + floats * 4);
  out.set(new Uint8Array(header.buffer), 0);
  let at = header.byteLength;
  for (const p of parts) {
    out.set(new Uint8Array(p.buffer, p.byteOffset, p.byteLength), at);
    at += p.byteLength;
  }
  return out;
}

/** Stage repeats and channels of a torchvision-style ShuffleNetV2, read off the compiled graph's convolutions. */
function architecture(graph: Graph): { repeats: number[]; channels: number[] } {
  const convs = graph.nodes.filter((n) => n.op.kind === 'conv2d');
  const outChannels = (n: (typeof convs)[number]) => graph.values.get(n.outputs[0])!.type.shape[1];
  const channels = [outChannels(convs[0])];
  const repeats: number[] = [];
  // After the stem: a stride-2 unit has 5 convs (its first is a stride-2 depthwise), a stride-1 unit 3.
  let i = 1;
  while (i < convs.length - 1) {
    const op = convs[i].op as { stride: readonly number[] };
    if (op.stride[0] === 2) {
      channels.push(2 * outChannels(convs[i + 1]));
      repeats.push(1);
      i += 5;
    } else {
      repeats[repeats.length - 1]++;
      i += 3;
    }
  }
  channels.push(outChannels(convs[convs.length - 1]));
  if (repeats.length !== 3 || i !== convs.length - 1) throw new Error('not a torchvision-style ShuffleNetV2');
  return { repeats, channels };
}

/** onnxruntime-node when installed (it is an optional peer), else undefined. */
async function loadOnnxRuntime(): Promise<typeof import('onnxruntime-node') | undefined> {
  try {
    return await import('onnxruntime-node');
  } catch {
    console.log('onnxruntime-node is not installed: timing the C contenders only');
    return undefined;
  }
}
const ort = await loadOnnxRuntime();

const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

for (const modelPath of models) {
  const bytes = readFileSync(modelPath);
  const inputShape = [1, 3, 224, 224];
  const result = await compile(modelPath, { target: 'c', name: 'net', inputShape, emit: { pthreads: true }, warn: () => undefined });
  const dir = mkdtempSync(join(tmpdir(), 'snv2c-xnnpack-'));
  const [, , height, width] = inputShape;
  const input = new Float32Array(3 * height * width).map((_, i) => Math.sin(i * 0.37) * 0.5);
  const nhwc = new Float32Array(input.length);
  for (let c = 0; c < 3; c++) for (let p = 0; p < height * width; p++) nhwc[p * 3 + c] = input[c * height * width + p];
  try {
    await writeArtifacts(dir, result.artifacts.filter((a) => /\.[ch]$/.test(a.path)));
    writeFileSync(join(dir, 'input.bin'), new Uint8Array(input.buffer));
    writeFileSync(join(dir, 'input_nhwc.bin'), new Uint8Array(nhwc.buffer));
    writeFileSync(join(dir, 'snv2c_main.c'), SNV2C_MAIN);
    const classes = result.graph.values.get(result.graph.outputs[0])!.type.shape[1];
    const { repeats, channels } = architecture(result.graph);
    writeFileSync(join(dir, 'model.bin'), xnnpackModel(result.graph, repeats, channels, classes, [height, width]));
    build(dir, 'snv2c', ['net.c', 'net_weights.c', 'net_pthreads.c', 'snv2c_main.c']);
    build(dir, 'xnnpack', [new URL('./xnnpack/shufflenet-xnnpack.c', import.meta.url).pathname], ['-lXNNPACK', '-lpthreadpool', '-lcpuinfo', '-lm']);

    const timeOrt = ort && (await onnxRuntimeTimer(ort, bytes, input, inputShape));
    const contenders: [string, () => Promise<[number, Float32Array]>][] = [
      ...(timeOrt ? [['onnxruntime-node, 1 thread', timeOrt] as [string, () => Promise<[number, Float32Array]>]] : []),
      ['XNNPACK, 1 thread', async () => timeC(dir, ['./xnnpack', 'model.bin', 'input_nhwc.bin', String(runs), '1'])],
      ['snv2c C, 1 thread', async () => timeC(dir, ['./snv2c', String(runs), '1'])],
      [`snv2c C, ${threads} threads`, async () => timeC(dir, ['./snv2c', String(runs), String(threads)])],
      [`XNNPACK, ${threads} threads`, async () => timeC(dir, ['./xnnpack', 'model.bin', 'input_nhwc.bin', String(runs), String(threads)])],
    ];
    const best = new Map<string, [number, Float32Array]>();
    for (let round = 0; round < 2; round++) {
      for (const [label, time] of contenders) {
        const [ms, out] = await time();
        const previous = best.get(label);
        if (!previous || ms < previous[0]) best.set(label, [ms, out]);
      }
    }
    const ms = (label: string) => best.get(label)![0];
    const referenceLabel = timeOrt ? 'onnxruntime-node, 1 thread' : 'snv2c C, 1 thread';
    const reference = best.get(referenceLabel)![1];
    console.log(`model: ${modelPath}  (${cc} -O3 -march=native, ${runs} runs x 2 rounds, lower median)`);
    for (const [label] of contenders) {
      const [t, out] = best.get(label)!;
      console.log(`  ${label.padEnd(28)} ${t.toFixed(3)} ms   max |logit - ${referenceLabel.split(',')[0]}| ${maxDiff(out, reference).toExponential(1)}`);
    }
    console.log(`  snv2c / XNNPACK (1 thread)   ${(ms('snv2c C, 1 thread') / ms('XNNPACK, 1 thread')).toFixed(3)}  (< 1: snv2c faster)`);
    if (timeOrt) console.log(`  snv2c / onnxruntime          ${(ms('snv2c C, 1 thread') / ms('onnxruntime-node, 1 thread')).toFixed(3)}`);
    console.log(`  snv2c ${threads} threads speed-up      ${(ms('snv2c C, 1 thread') / ms(`snv2c C, ${threads} threads`)).toFixed(2)}x  (XNNPACK: ${(ms('XNNPACK, 1 thread') / ms(`XNNPACK, ${threads} threads`)).toFixed(2)}x)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
