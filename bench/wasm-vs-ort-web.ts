// snv2c's wasm build against onnxruntime-web's wasm backend (1 thread, SIMD) on the same ONNX models, timed in the
// same run: in this Node process (snv2c takes its baseline SIMD128 build there: Node 20 has relaxed SIMD only
// behind a flag) and in one headless Chromium page (relaxed SIMD). Rounds are interleaved; each side's median
// is printed with the ratio snv2c / onnxruntime-web (< 1 means snv2c is faster). Also prints what the issue
// asks for next to it: compile wall time and artifact sizes.
//   npx tsx bench/wasm-vs-ort-web.ts [model.onnx ...] [--rounds N] [--per N] [--no-node] [--no-browser]
// Default models: the x1.0 and x0.5 fixtures. The machine is shared: compare ratios from one run, not ms.

import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { compile, loadCompiledFolder, writeArtifacts } from '../api/index.ts';
import { benchModels, hasSwitch, option } from './bench-args.ts';
import { ORT_WEB_DIST, ortWebWasmContender, snv2cContender, timeInChromium, type ContenderTimes } from './browser/peer-page.ts';
import { median } from './timing/statistics.ts';

const models = benchModels('tv_x1_0_224_o11_folded', 'tv_x0_5_224_o13_bn');
const rounds = Number(option('--rounds') ?? 10);
const perRound = Number(option('--per') ?? 10);
const INPUT_SHAPE = [1, 3, 224, 224];

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((d, v, i) => Math.max(d, Math.abs(v - b[i])), 0);
const kb = (path: string) => `${(statSync(path).size / 1024).toFixed(0)} KB`;

/** Node also gets CPU time per run (median over rounds): on a busy machine it varies far less than wall time. */
type Timed = ContenderTimes & { readonly cpu?: number[] };

function report(where: string, snv2c: Timed, peer: Timed): void {
  const [s, o] = [median(snv2c.times), median(peer.times)];
  const cpu = snv2c.cpu && peer.cpu ? `; CPU ${median(snv2c.cpu).toFixed(2)} vs ${median(peer.cpu).toFixed(2)} ms, ratio ${(median(snv2c.cpu) / median(peer.cpu)).toFixed(2)}` : '';
  console.log(
    `  ${where.padEnd(9)} snv2c wasm (${snv2c.label}) ${s.toFixed(2)} ms vs ${peer.name} (${peer.label}) ${o.toFixed(2)} ms` +
      `  ratio ${(s / o).toFixed(2)}${cpu}  (max |diff| ${maxDiff(snv2c.output, peer.output).toExponential(1)}, ${snv2c.times.length} runs each)`,
  );
}

/** Both contenders in this process, interleaved rounds, the same way the page does it. */
async function timeInNode(dir: string, modelBytes: Uint8Array, input: Float32Array): Promise<[Timed, Timed]> {
  ort.env.wasm.numThreads = 1;
  const session = await ort.InferenceSession.create(modelBytes, { executionProviders: ['wasm'] });
  const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', input, INPUT_SHAPE) };
  const model = (await loadCompiledFolder(dir, 'net')) as Awaited<ReturnType<typeof loadCompiledFolder>> & { build?: string };
  try {
    const sides = [
      { name: 'snv2c wasm', label: model.build ?? '', run: async () => model.run(input) },
      { name: 'onnxruntime-web wasm', label: '1 thread, SIMD', run: async () => (await session.run(feeds))[session.outputNames[0]].data as Float32Array },
    ];
    const outputs = await Promise.all(sides.map(async (s) => Array.from(await s.run())));
    for (const s of sides) for (let i = 0; i < 3; i++) await s.run();
    const times: number[][] = sides.map(() => []);
    const cpu: number[][] = sides.map(() => []);
    for (let r = 0; r < rounds; r++) {
      for (let c = 0; c < sides.length; c++) {
        const used = process.cpuUsage();
        for (let i = 0; i < perRound; i++) {
          const t = performance.now();
          await sides[c].run();
          times[c].push(performance.now() - t);
        }
        const { user, system } = process.cpuUsage(used);
        cpu[c].push((user + system) / 1000 / perRound);
      }
    }
    const [a, b] = sides.map((s, i) => ({ name: s.name, label: s.label, times: times[i], cpu: cpu[i], output: outputs[i] }));
    return [a, b];
  } finally {
    model.dispose();
    await session.release();
  }
}

const scratch = mkdtempSync(join(tmpdir(), 'snv2c-web-bench-'));
try {
  for (const modelPath of models) {
    const dir = join(scratch, `model-${models.indexOf(modelPath)}`);
    const t0 = performance.now();
    const result = await compile(modelPath, { target: 'wasm', name: 'net', inputShape: INPUT_SHAPE, warn: () => undefined });
    const compileMs = performance.now() - t0;
    await writeArtifacts(dir, result.artifacts);
    console.log(`model: ${modelPath}`);
    console.log(
      `  compile --target wasm (library call, this process): ${(compileMs / 1000).toFixed(1)} s;` +
        ` net.wasm ${kb(join(dir, 'net.wasm'))}, net.relaxed.wasm ${kb(join(dir, 'net.relaxed.wasm'))}, net.weights.bin ${kb(join(dir, 'net.weights.bin'))}`,
    );
    const input = new Float32Array(INPUT_SHAPE.reduce((a, b) => a * b, 1)).map((_, i) => Math.sin(i * 0.37) * 0.5);
    if (!hasSwitch('--no-node')) {
      const [snv2c, peer] = await timeInNode(dir, new Uint8Array(readFileSync(modelPath)), input);
      report('Node', snv2c, peer);
    }
    if (!hasSwitch('--no-browser')) {
      // The page takes the relaxed build by itself; the baseline build forced beside it shows what relaxed SIMD buys.
      const [snv2c, baseline, peer] = await timeInChromium({
        serve: { '/model/': dir, '/model.onnx': modelPath, '/ort/': ORT_WEB_DIST },
        contenders: [
          snv2cContender('snv2c wasm', '/model/', 'net'),
          snv2cContender('snv2c wasm', '/model/', 'net', "{ build: 'baseline' }"),
          ortWebWasmContender('/model.onnx', INPUT_SHAPE),
        ],
        input,
        rounds,
        perRound,
        scratch: join(scratch, 'chromium'),
      });
      report('Chromium', snv2c, peer);
      report('Chromium', baseline, peer);
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
