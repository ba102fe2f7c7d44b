// WGSL target latency on the CI adapters, against onnxruntime-node (CPU, 1 intra-op thread) timed in the same run:
//   Dawn (OpenGL ES on Mesa llvmpipe, WebGPU compatibility mode) in this process, and headless Chromium
//   (WebGPU on SwiftShader). Both adapters are CPU software renderers: compare ratios, not absolute GPU figures.
//   npx tsx bench/wgsl-latency.ts [model.onnx] [--runs N] [--no-browser]
// Prints dispatches per inference, set-up time (shader compile included), the first run, and the median warm run.

import * as ort from 'onnxruntime-node'; // before anything that could load onnxruntime-web (see TOOLCHAIN.md)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compile } from '../api/index.ts';
import type { WebGpuModel } from '../runtime/webgpu-model.ts';
import { launchChromium, runInPage, serveModel } from '../test/browser/chromium-page.ts';
import { dawnCompatDevice, maxAbsDiff, REPO, writeArtifacts } from '../test/targets/wgsl/support.ts';
import { benchModels, hasSwitch, option } from './bench-args.ts';
import { median } from './timing/statistics.ts';

const [modelPath] = benchModels('tv_x1_0_224_o11_folded');
const runs = Number(option('--runs') ?? 20);
const browser = !hasSwitch('--no-browser');
const ms = (x: number) => `${x.toFixed(1)} ms`;

const bytes = readFileSync(modelPath);
const compiled = await compile(bytes, { target: 'wgsl', name: 'net', file: modelPath, inputShape: [1, 3, 224, 224], warn: () => undefined });
const dir = writeArtifacts(compiled.artifacts, 'bench');
const input = new Float32Array(3 * 224 * 224).map((_, i) => Math.sin(i * 0.37) * 0.5);

// Peer: onnxruntime-node, same model, same input.
const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1 });
const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', input, [1, 3, 224, 224]) };
let reference: Float32Array = new Float32Array();
const ortTimes: number[] = [];
for (let i = 0; i < runs + 3; i++) {
  const t = performance.now();
  const out = await session.run(feeds);
  if (i >= 3) ortTimes.push(performance.now() - t);
  reference = out[session.outputNames[0]].data as Float32Array;
}
const ortMedian = median(ortTimes);
console.log(`model ${modelPath}`);
console.log(`onnxruntime-node (CPU, 1 thread): median ${ms(ortMedian)}`);

// Dawn in Node on Mesa (GLES, compatibility mode).
{
  const gpu = await dawnCompatDevice();
  const emitted = (await import(pathToFileURL(join(dir, 'net.js')).href)) as { createModel(o: { device: GPUDevice }): Promise<WebGpuModel> };
  let t = performance.now();
  const model = await emitted.createModel({ device: gpu.device });
  const setup = performance.now() - t;
  t = performance.now();
  const out = await model.run(input);
  const first = performance.now() - t;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    t = performance.now();
    await model.run(input);
    times.push(performance.now() - t);
  }
  const warm = median(times);
  console.log(
    `Dawn GLES on llvmpipe (compat): ${model.dispatchesPerInference} dispatches/inference, set-up ${ms(setup)}, first run ${ms(first)}, ` +
      `median ${ms(warm)} = ${(warm / ortMedian).toFixed(1)}x onnxruntime-node; max |diff| vs onnxruntime ${maxAbsDiff(out, reference).toExponential(1)}`,
  );
  model.dispose();
  gpu.release();
}

if (browser) {
  const served = await serveModel(dir, 'net');
  const context = await launchChromium(join(REPO, 'tmp', 'chromium'));
  try {
    const t = performance.now();
    const result = await runInPage(context, served.url, input, runs);
    const total = performance.now() - t;
    const warm = median(result.times);
    console.log(
      `Chromium WebGPU (${result.adapter || 'unknown adapter'}): ${result.dispatches} dispatches/inference, page load + set-up + first run + ${runs} runs ${ms(total)}, ` +
        `median ${ms(warm)} = ${(warm / ortMedian).toFixed(1)}x onnxruntime-node; max |diff| vs onnxruntime ${maxAbsDiff(result.output, reference).toExponential(1)}`,
    );
  } finally {
    await context.close();
    await served.close();
  }
}
