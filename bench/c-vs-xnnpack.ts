// snv2c's native C against XNNPACK (Debian's libxnnpack-dev, operator API) and onnxruntime-node on the same
// ShuffleNetV2 models and input, all timed in this run by the shared sampler (bench/timing/): after warm-up,
// contenders alternate in blocks of BLOCK calls, so a busy stretch of the machine lands on every side of a ratio.
// Blocks, not single calls: both libraries' thread pools keep polling for a few milliseconds after a call, which
// on a 2-core machine slows whichever contender runs next; in a block that lands on its first call only. Prints
// medians and ratios; snv2c also with 2 threads (its POSIX pool) against itself with 1.
//   npx tsx bench/c-vs-xnnpack.ts [model.onnx ...] [--runs N] [--cc clang] [--threads 2]
// Needs: apt-get install libxnnpack-dev libpthreadpool-dev libcpuinfo-dev (XNNPACK's ShuffleNetV2 is
// bench/xnnpack/shufflenet-xnnpack.c; its weights are the compiled graph's, BN folded, in graph order).
// The C contenders (snv2c's bench harness and the XNNPACK program) serve inferences over pipes and time the
// model inside their process, so the figures hold no pipe or process overhead; onnxruntime is timed around the
// call. onnxruntime-node is optional: without it (a machine with only a C compiler) the C contenders run alone
// and their outputs are compared with snv2c's.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compile } from '../api/index.ts';
import { denseForm } from '../compiler/ir/dense-form.ts';
import type { Graph } from '../compiler/ir/types.ts';
import { benchModels, option } from './bench-args.ts';
import { benchInput, headline } from './bench-model.ts';
import type { CompiledBench } from './compiled-bench.ts';
import { pipeBench, startNativeBench } from './native/native-bench.ts';
import { startOnnxRuntime, type OnnxRuntimePeer } from './peers/onnxruntime.ts';
import { progressLine } from './timing/progress.ts';
import { sample, type Contender } from './timing/sampler.ts';

const models = benchModels('tv_x0_5_224_o13_bn', 'tv_x1_0_224_o11_folded');
const runs = Number(option('--runs') ?? 100);
const cc = option('--cc') ?? process.env.CC ?? 'clang';
const threads = Number(option('--threads') ?? 2);
const WARMUP = 20;
const BLOCK = 10;

function buildXnnpack(dir: string): string {
  const source = new URL('./xnnpack/shufflenet-xnnpack.c', import.meta.url).pathname;
  const r = spawnSync(cc, ['-std=c99', '-O3', '-march=native', '-pthread', '-o', 'xnnpack', source, '-lXNNPACK', '-lpthreadpool', '-lcpuinfo', '-lm'], { cwd: dir, encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new Error(`${cc} failed building the XNNPACK program: ${r.error?.message ?? r.stderr}`);
  return join(dir, 'xnnpack');
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

/** onnxruntime-node with one thread when installed (it is an optional peer), else undefined. */
async function onnxRuntime(bytes: Uint8Array, inputShape: number[]): Promise<OnnxRuntimePeer | undefined> {
  try {
    return await startOnnxRuntime(bytes, inputShape, 1);
  } catch (e) {
    console.log(`${(e as Error).message}: timing the C contenders only`);
    return undefined;
  }
}

const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

for (const modelPath of models) {
  const bytes = readFileSync(modelPath);
  const inputShape = [1, 3, 224, 224];
  const result = await compile(modelPath, { target: 'c', name: 'net', inputShape, warn: () => undefined });
  const [, , height, width] = inputShape;
  const input = benchInput(inputShape);
  const nhwc = new Float32Array(input.length);
  for (let c = 0; c < 3; c++) for (let p = 0; p < height * width; p++) nhwc[p * 3 + c] = input[c * height * width + p];
  const classes = result.graph.values.get(result.graph.outputs[0])!.type.shape[1];
  const dir = mkdtempSync(join(tmpdir(), 'snv2c-xnnpack-'));
  const owned: { dispose(): void }[] = [];
  try {
    const { repeats, channels } = architecture(result.graph);
    writeFileSync(join(dir, 'model.bin'), xnnpackModel(result.graph, repeats, channels, classes, [height, width]));
    const xnnpack = buildXnnpack(dir);
    const peer = await onnxRuntime(bytes, inputShape);
    if (peer) owned.push(peer);
    const outputs = new Map<string, Float32Array>();
    /** A timed contender that keeps its last output for the comparison. */
    const contender = (label: string, run: () => Promise<{ output: Float32Array; totalMs: number }>): Contender => ({
      label,
      call: async () => {
        const r = await run();
        outputs.set(label, r.output);
        return r;
      },
    });
    const started = (bench: CompiledBench, x: Float32Array) => {
      owned.push(bench);
      return () => bench.call(x);
    };
    const snv2c = (n: number) => started(startNativeBench({ artifacts: result.artifacts, name: 'net', target: 'c', cc, threads: n, inputShape, outputShape: [1, classes] }), input);
    const xnn = (n: number) => started(pipeBench([xnnpack, join(dir, 'model.bin'), String(n)], 'XNNPACK', classes), nhwc);
    const contenders: Contender[] = [
      ...(peer ? [contender('onnxruntime-node, 1 thread', async () => {
        const start = performance.now();
        const output = await peer.run(input);
        return { output, totalMs: performance.now() - start };
      })] : []),
      contender('XNNPACK, 1 thread', xnn(1)),
      contender('snv2c C, 1 thread', snv2c(1)),
      contender(`snv2c C, ${threads} threads`, snv2c(threads)),
      contender(`XNNPACK, ${threads} threads`, xnn(threads)),
    ];
    const results = await sample(contenders, { warmup: WARMUP, runs, block: BLOCK, progress: progressLine() });
    const ms = (label: string) => headline(results.find((r) => r.label === label)!).medianMs;
    const referenceLabel = peer ? 'onnxruntime-node, 1 thread' : 'snv2c C, 1 thread';
    const reference = outputs.get(referenceLabel)!;
    console.log(`model: ${modelPath}  (${cc} -O3 -march=native; ${runs} runs after ${WARMUP} warm-up, interleaved in blocks of ${BLOCK}, medians; C contenders: the model alone)`);
    for (const { label } of contenders) {
      console.log(`  ${label.padEnd(28)} ${ms(label).toFixed(3)} ms   max |logit - ${referenceLabel.split(',')[0]}| ${maxDiff(outputs.get(label)!, reference).toExponential(1)}`);
    }
    console.log(`  snv2c / XNNPACK (1 thread)   ${(ms('snv2c C, 1 thread') / ms('XNNPACK, 1 thread')).toFixed(3)}  (< 1: snv2c faster)`);
    if (peer) console.log(`  snv2c / onnxruntime          ${(ms('snv2c C, 1 thread') / ms('onnxruntime-node, 1 thread')).toFixed(3)}`);
    console.log(`  snv2c ${threads} threads speed-up      ${(ms('snv2c C, 1 thread') / ms(`snv2c C, ${threads} threads`)).toFixed(2)}x  (XNNPACK: ${(ms('XNNPACK, 1 thread') / ms(`XNNPACK, ${threads} threads`)).toFixed(2)}x)`);
  } finally {
    for (const o of owned.reverse()) o.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}
