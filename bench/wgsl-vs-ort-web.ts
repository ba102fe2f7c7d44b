// snv2c's WGSL against onnxruntime-web's WebGPU execution provider in ONE headless Chromium page, on ONE
// GPUDevice (the one onnxruntime-web creates, handed to our models), runs interleaved:
//   npx tsx bench/wgsl-vs-ort-web.ts [model.onnx] [--runs N] [--layouts default,NCHW|none] [--no-unfused]
// onnxruntime-web runs once per layout: its default (NHWC inside, with transposes) and `preferredLayout: 'NCHW'`.
// snv2c runs as compiled (kernel groups fused) and, unless --no-unfused, planned without its kernel groups (one
// dispatch per node): the before/after of the fusion on this adapter.
// Prints dispatches per inference (counted by wrapping GPUComputePassEncoder.dispatchWorkgroups in the page),
// medians, the ratios ours / theirs, agreement of the outputs, and snv2c's time per kernel kind from
// profileSteps() (GPU timestamps where the device has 'timestamp-query', as Chromium's SwiftShader does).
// The adapter here is a CPU software renderer: compare ratios, not absolute GPU figures.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importOnnx } from '../compiler/frontend/onnx/import-onnx.ts';
import { runPipeline } from '../compiler/pipeline.ts';
import { planForTarget, planMemory } from '../compiler/plan/plan-memory.ts';
import { wgslTarget } from '../targets/wgsl/wgsl-target.ts';
import { bundlePage, callInPage, launchChromium, pageFiles, serveFiles, wgslModelFiles } from '../test/browser/chromium-page.ts';
import { maxAbsDiff, REPO, writeArtifacts } from '../test/targets/wgsl/support.ts';
import { benchModels, hasSwitch, option } from './bench-args.ts';
import { median } from './timing/statistics.ts';

const [modelPath] = benchModels('tv_x1_0_224_o11_folded');
const runs = Number(option('--runs') ?? 5);
const layouts = (option('--layouts') ?? 'default,NCHW').split(',').filter((l) => l !== '' && l !== 'none'); // none: snv2c only
const unfused = !hasSwitch('--no-unfused');

interface Contender {
  readonly name: string;
  readonly dispatches: number;
  readonly output: number[];
  readonly times: number[];
}
interface BenchResult {
  readonly contenders: Contender[];
  readonly adapter: string;
  /** snv2c's profileSteps(): ms per dispatch, and how they were measured. */
  readonly steps: { build: string; kernel: string; ms: number }[];
  readonly profileClock: string;
}

// Runs in the page. Kept free of Node imports; the model module is bundled with it.
const PAGE_SCRIPT = `
import * as fused from './net.js';
import * as unfused from './unfused.js';
const ORT = '/ort/ort.webgpu.bundle.min.mjs'; // a variable: the bundler leaves the import to the browser
window.snv2cBench = async ({ input, runs, layouts, shape, withUnfused }) => {
  const ort = await import(ORT);
  ort.env.wasm.numThreads = 1;
  ort.env.logLevel = 'error';
  const modelBytes = new Uint8Array(await (await fetch('/model.onnx')).arrayBuffer());
  const x = Float32Array.from(input);
  const contenders = [];
  for (const layout of layouts) {
    const ep = layout === 'default' ? 'webgpu' : { name: 'webgpu', preferredLayout: layout };
    const session = await ort.InferenceSession.create(modelBytes, { executionProviders: [ep] });
    const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', x, shape) };
    contenders.push({ name: 'onnxruntime-web webgpu, layout ' + layout, run: async () => (await session.run(feeds))[session.outputNames[0]].data });
  }
  // onnxruntime-web's device (it exists once a session does): our models run on the same one.
  const ortDevice = layouts.length ? await ort.env.webgpu.device : undefined;
  const model = await fused.createModel({ device: ortDevice });
  const device = model.device;
  const before = withUnfused ? await unfused.createModel({ device }) : undefined;
  if (before) contenders.unshift({ name: 'snv2c wgsl, unfused plan', run: () => before.run(x) });
  contenders.unshift({ name: 'snv2c wgsl', run: () => model.run(x) });

  let dispatches = 0;
  const dispatch = GPUComputePassEncoder.prototype.dispatchWorkgroups;
  GPUComputePassEncoder.prototype.dispatchWorkgroups = function (...a) { dispatches++; return dispatch.apply(this, a); };
  const results = [];
  for (const c of contenders) {
    dispatches = 0;
    const output = Array.from(await c.run()); // first run: warm-up, output and dispatch count
    results.push({ name: c.name, dispatches, output, times: [] });
  }
  for (let i = 0; i < runs; i++) {
    // Interleaved, the order rotating each round so no contender always runs right after another.
    for (let j = 0; j < contenders.length; j++) {
      const k = (i + j) % contenders.length;
      const t = performance.now();
      await contenders[k].run();
      results[k].times.push(performance.now() - t);
    }
  }
  const info = device.adapterInfo ?? {};
  const profile = async (m, module, build) => (await m.profileSteps(x)).map((ms, i) => ({ build, kernel: module.description.steps[i].kernel, ms }));
  const steps = [...(await profile(model, fused, 'snv2c wgsl')), ...(before ? await profile(before, unfused, 'unfused plan') : [])];
  before?.dispose();
  model.dispose();
  return { contenders: results, adapter: [info.vendor, info.architecture, info.description].filter(Boolean).join(' '), steps, profileClock: model.profileClock };
};
`;

const bytes = readFileSync(modelPath);
const shape = [1, 3, 224, 224];
const graph = runPipeline(importOnnx(bytes, { file: modelPath, inputShape: shape }), { warn: () => undefined });
// Both builds in one folder (they share snv2c-runtime/): net.* as compiled, unfused.* without kernel groups.
const dir = writeArtifacts(
  [...wgslTarget.emit(graph, planForTarget(graph, wgslTarget), { name: 'net' }), ...wgslTarget.emit(graph, planMemory(graph), { name: 'unfused' })],
  'vs-ort-web',
);
const input = Array.from({ length: 3 * 224 * 224 }, (_, i) => Math.sin(i * 0.37) * 0.5);

const site = await serveFiles(
  pageFiles(await bundlePage(dir, 'bench-page.js', PAGE_SCRIPT), {
    ...wgslModelFiles(dir, 'net'),
    ...wgslModelFiles(dir, 'unfused'),
    '/model.onnx': { type: 'application/octet-stream', body: bytes },
  }),
  { '/ort/': join(REPO, 'node_modules/onnxruntime-web/dist') },
);
const context = await launchChromium(join(REPO, 'tmp', 'chromium'));
try {
  const result = await callInPage<BenchResult>(context, site.url, 'snv2cBench', [{ input, runs, layouts, shape, withUnfused: unfused }]);
  const [ours, ...peers] = result.contenders;
  console.log(`model ${modelPath}; Chromium WebGPU adapter: ${result.adapter || 'unknown'}; ${runs} interleaved runs each`);
  for (const c of result.contenders) {
    const diff = c === ours ? '' : `, max |diff| vs snv2c ${maxAbsDiff(c.output, ours.output).toExponential(1)}`;
    console.log(`  ${c.name.padEnd(42)} ${String(c.dispatches).padStart(4)} dispatches, median ${median(c.times).toFixed(1)} ms${diff}`);
  }
  for (const p of peers) console.log(`ratio snv2c / ${p.name}: ${(median(ours.times) / median(p.times)).toFixed(3)}`);
  for (const build of new Set(result.steps.map((s) => s.build))) {
    const byKind = new Map<string, { ms: number; n: number }>();
    for (const s of result.steps.filter((x) => x.build === build)) byKind.set(s.kernel, { ms: (byKind.get(s.kernel)?.ms ?? 0) + s.ms, n: (byKind.get(s.kernel)?.n ?? 0) + 1 });
    console.log(`${build} per kernel kind (profileSteps, ${result.profileClock}): ` + [...byKind].map(([k, v]) => `${k} x${v.n} ${v.ms.toFixed(1)} ms`).join(', '));
  }
} finally {
  await context.close();
  await site.close();
}
