// Native C (-O3 -march=native, 1 thread) and the wasm build (in this Node) against onnxruntime-node (1 intra-op
// thread) on the same ShuffleNetV2 ONNX models, all timed in this run by the shared sampler (bench/timing/):
// after warm-up, contenders alternate call by call, so a busy stretch of the machine lands on every side of a
// ratio. Prints each median and the ratio onnxruntime / snv2c (>1 means snv2c is faster). Machines are noisy:
// compare ratios from one run, not ms.
//   npx tsx bench/c-vs-ort.ts [model.onnx ...] [--runs N] [--cc gcc,clang] [--no-wasm]
// Default models: x1.0 and x0.5 fixtures. snv2c's time is the model alone: C timed inside its bench harness (no
// pipe or process overhead in the figure), wasm around its `_infer` export; onnxruntime is timed around the call.

import { readFileSync } from 'node:fs';
import { compile, type CompileOptions } from '../api/index.ts';
import { benchModels, hasSwitch, option } from './bench-args.ts';
import { benchInput, headline } from './bench-model.ts';
import type { CompiledBench } from './compiled-bench.ts';
import { startNativeBench } from './native/native-bench.ts';
import { startOnnxRuntime } from './peers/onnxruntime.ts';
import { progressLine } from './timing/progress.ts';
import { sample, type Contender } from './timing/sampler.ts';
import { startWasmBench } from './wasm/wasm-bench.ts';

const models = benchModels('tv_x1_0_224_o11_folded', 'tv_x0_5_224_o13_bn');
const runs = Number(option('--runs') ?? 200);
const compilers = (option('--cc') ?? (process.env.CC || 'gcc')).split(',');
const withWasm = !hasSwitch('--no-wasm');
const WARMUP = 20;
const inputShape = [1, 3, 224, 224];
const ORT = 'onnxruntime-node, 1 thread';

const compileOptions = (file: string): Omit<CompileOptions, 'target'> => ({ name: 'net', file, inputShape, warn: () => undefined });

for (const modelPath of models) {
  const bytes = readFileSync(modelPath);
  const input = benchInput(inputShape);
  const compiled = await compile(bytes, { ...compileOptions(modelPath), target: 'c' });
  const outputShape = compiled.graph.values.get(compiled.graph.outputs[0])!.type.shape;
  const owned: { dispose(): void }[] = [];
  try {
    const peer = await startOnnxRuntime(bytes, inputShape, 1);
    owned.push(peer);
    const firstLogit = new Map<string, number>();
    const snv2c = (label: string, bench: CompiledBench): Contender => {
      owned.push(bench);
      return {
        label,
        call: async () => {
          const r = await bench.call(input);
          firstLogit.set(label, r.output[0]);
          return r;
        },
      };
    };
    const contenders: Contender[] = [
      {
        label: ORT,
        call: async () => {
          const start = performance.now();
          firstLogit.set(ORT, (await peer.run(input))[0]);
          return { totalMs: performance.now() - start };
        },
      },
      ...compilers.map((cc) => snv2c(`C ${cc} -O3 -march=native, 1 thread`, startNativeBench({ artifacts: compiled.artifacts, name: 'net', target: 'c', cc, inputShape, outputShape }))),
    ];
    if (withWasm) {
      const wasm = await compile(bytes, { ...compileOptions(modelPath), target: 'wasm' });
      contenders.push(snv2c('wasm (clang -O3 -msimd128) in Node', await startWasmBench({ artifacts: wasm.artifacts, name: 'net', inputShape, outputShape })));
    }
    const [ort, ...ours] = await sample(contenders, { warmup: WARMUP, runs, progress: progressLine() });
    const ortMs = ort.total.medianMs;
    console.log(`model: ${modelPath}  (arena ${compiled.report.memory.arenaBytes} bytes; ${runs} interleaved runs after ${WARMUP} warm-up, medians)`);
    for (const r of ours) {
      const ms = headline(r).medianMs;
      console.log(`  ${r.label.padEnd(36)} ${ms.toFixed(3)} ms vs onnxruntime ${ortMs.toFixed(3)} ms  ratio ${(ortMs / ms).toFixed(2)}x  (logit[0] ${firstLogit.get(r.label)!.toFixed(5)} / ${firstLogit.get(ORT)!.toFixed(5)})`);
    }
  } finally {
    for (const o of owned.reverse()) o.dispose();
  }
}
