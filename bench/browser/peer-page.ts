// Times several contenders on one model in one headless Chromium page, interleaved: snv2c's emitted modules and
// onnxruntime-web (wasm here; its WebGPU execution provider is one more contender). Shared by the web benches.
//
// Each contender is page-side JavaScript: the body of an async function of `input` (a Float32Array) returning
// `{ run, label? }`, where `run()` does one inference and resolves to its output. Files are served from
// http://127.0.0.1 (a secure context, as WebGPU needs) under the prefixes the caller maps to local folders; the
// compiled model folder is served as is, so the page imports the very `<name>.js` users import.

import { readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../../test/browser/chromium-page.ts';

export interface PageContender {
  readonly name: string;
  /** Body of `async (input) => ({ run, label })`, evaluated in the page. */
  readonly setup: string;
}

export interface ContenderTimes {
  readonly name: string;
  /** What the contender reported about itself (e.g. which wasm build it chose). */
  readonly label: string;
  /** Milliseconds of each timed run. */
  readonly times: number[];
  /** Output of the first run (to check that contenders agree). */
  readonly output: number[];
}

export interface PageBenchOptions {
  /** URL prefix ('/model/') -> local folder, or exact URL path -> local file. */
  readonly serve: Readonly<Record<string, string>>;
  readonly contenders: readonly PageContender[];
  readonly input: Float32Array;
  /** Interleaved rounds; each contender runs `perRound` timed inferences per round. */
  readonly rounds: number;
  readonly perRound: number;
  /** Scratch folder for the browser profile. */
  readonly scratch: string;
}

/** onnxruntime-web's dist folder (its loader fetches the .mjs/.wasm pair next to the bundle). */
export const ORT_WEB_DIST = fileURLToPath(new URL('../../node_modules/onnxruntime-web/dist/', import.meta.url));

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' };

const PAGE = `<!doctype html><meta charset="utf-8"><script type="module">
window.benchRun = async (contenders, inputArray, rounds, perRound) => {
  const input = Float32Array.from(inputArray);
  const AsyncFunction = (async () => {}).constructor;
  const prepared = [];
  for (const c of contenders) prepared.push(await new AsyncFunction('input', c.setup)(input));
  const outputs = [];
  for (const p of prepared) {
    outputs.push(Array.from(await p.run()));
    for (let i = 0; i < 3; i++) await p.run();
  }
  const times = prepared.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (let c = 0; c < prepared.length; c++) {
      for (let i = 0; i < perRound; i++) {
        const t = performance.now();
        await prepared[c].run();
        times[c].push(performance.now() - t);
      }
    }
  }
  return contenders.map((c, i) => ({ name: c.name, label: String(prepared[i].label ?? ''), times: times[i], output: outputs[i] }));
};
window.benchReady = true;
</script>`;

function resolveFile(serve: PageBenchOptions['serve'], path: string): string | undefined {
  for (const [prefix, local] of Object.entries(serve)) {
    if (path === prefix) return local;
    if (prefix.endsWith('/') && path.startsWith(prefix)) {
      const rest = normalize(path.slice(prefix.length));
      if (rest.startsWith('..')) return undefined;
      return join(local, rest);
    }
  }
  return undefined;
}

async function serve(serveMap: PageBenchOptions['serve']): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
    if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(PAGE);
      return;
    }
    const file = resolveFile(serveMap, path);
    if (!file || !statSync(file, { throwIfNoEntry: false })?.isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Runs the contenders interleaved in one fresh headless Chromium page; returns each one's timings. */
export async function timeInChromium(opts: PageBenchOptions): Promise<ContenderTimes[]> {
  const server = await serve(opts.serve);
  const context = await launchChromium(opts.scratch);
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(server.url);
    await page.waitForFunction(() => 'benchReady' in window);
    try {
      return await page.evaluate(
        ([contenders, input, rounds, perRound]) =>
          (window as unknown as { benchRun(c: PageContender[], x: number[], r: number, p: number): Promise<ContenderTimes[]> }).benchRun(contenders, input, rounds, perRound),
        [opts.contenders.map((c) => ({ ...c })), Array.from(opts.input), opts.rounds, opts.perRound] as [PageContender[], number[], number, number],
      );
    } catch (e) {
      throw new Error(`${(e as Error).message.split('\n')[0]}${errors.length ? ` (page errors: ${errors.join('; ')})` : ''}`);
    }
  } finally {
    await context.close();
    await server.close();
  }
}

/** onnxruntime-web's wasm backend on one thread, loading `modelUrl`. */
export function ortWebWasmContender(modelUrl: string, inputShape: readonly number[]): PageContender {
  return {
    name: 'onnxruntime-web wasm',
    setup: `
      const ort = await import('/ort/ort.wasm.min.mjs');
      ort.env.wasm.numThreads = 1;
      ort.env.wasm.wasmPaths = '/ort/';
      const session = await ort.InferenceSession.create(${JSON.stringify(modelUrl)}, { executionProviders: ['wasm'] });
      const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', input, ${JSON.stringify(inputShape)}) };
      return { run: async () => (await session.run(feeds))[session.outputNames[0]].data, label: '1 thread, SIMD' };`,
  };
}

/** An snv2c-compiled model folder served under `prefix`, through its emitted `<name>.js`. */
export function snv2cContender(name: string, prefix: string, module: string, options = '{}'): PageContender {
  return {
    name,
    setup: `
      const { createModel } = await import(${JSON.stringify(`${prefix}${module}.js`)});
      const model = await createModel(${options});
      return { run: async () => model.run(input), label: model.build ?? '' };`,
  };
}
