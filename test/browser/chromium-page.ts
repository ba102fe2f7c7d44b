// Headless Debian Chromium (WebGPU on SwiftShader) driving pages served from 127.0.0.1: the one harness the
// browser tests and benches share (test/browser, test/plugin, bench/wgsl-latency.ts, bench/wgsl-vs-ort-web.ts).
// Files are served from a map (path -> bytes), a built folder, or folders read on request (onnxruntime-web's
// 27 MB of wasm is only read if a page asks for it).
//
// The emitted `<name>.js` is bundled for the page with esbuild; the page is served from http://127.0.0.1 (a
// secure context: about:blank has no navigator.gpu) on an ephemeral port.

import { build } from 'esbuild';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox', '--enable-unsafe-webgpu', '--headless', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic',
];

export interface PageResult {
  readonly output: number[];
  readonly dispatches: number;
  /** Milliseconds per run() after the first, when `repeat` > 0. */
  readonly times: number[];
  /** model.profileSteps(): milliseconds per dispatch, measured as profileClock says. */
  readonly stepTimes: number[];
  readonly profileClock: string;
  readonly adapter: string;
  /** model.runTimed(): the output again and the GPU time of its one compute pass. */
  readonly timed: { readonly output: number[]; readonly gpuMs?: number };
}

/** A page script calling the model: `window.snv2cRun(input, repeat)`. */
const PAGE_SCRIPT = (name: string) => `
import { createModel } from './${name}.js';
window.snv2cRun = async (input, repeat) => {
  const model = await createModel();
  try {
    const x = Float32Array.from(input);
    const output = Array.from(await model.run(x));
    const times = [];
    for (let i = 0; i < repeat; i++) {
      const t = performance.now();
      await model.run(x);
      times.push(performance.now() - t);
    }
    const info = model.device.adapterInfo ?? {};
    const stepTimes = await model.profileSteps(x);
    const timed = await model.runTimed(x);
    return { timed: { output: Array.from(timed.output), gpuMs: timed.gpuMs }, output, dispatches: model.dispatchesPerInference, times, stepTimes, profileClock: model.profileClock, adapter: [info.vendor, info.architecture, info.description].filter(Boolean).join(' ') };
  } finally {
    model.dispose();
  }
};
`;

export interface ServedModel {
  readonly url: string;
  close(): Promise<void>;
}

/** Bundles a page script (written to `<dir>/<file>`, so its relative imports resolve there) for the browser. */
export async function bundlePage(dir: string, file: string, source: string): Promise<ServedFile> {
  writeFileSync(join(dir, file), source);
  const bundle = await build({ entryPoints: [join(dir, file)], bundle: true, format: 'esm', platform: 'browser', write: false, logLevel: 'silent' });
  return { type: 'text/javascript', body: bundle.outputFiles[0].text };
}

/** An HTML page loading `/bundle.js`, plus the given files. */
export function pageFiles(bundle: ServedFile, files: Record<string, ServedFile> = {}): Record<string, ServedFile> {
  return { '/': { type: 'text/html', body: '<!doctype html><meta charset="utf-8"><script type="module" src="/bundle.js"></script>' }, '/bundle.js': bundle, ...files };
}

/** A compiled WGSL model's run-time files: `<name>.weights.bin` and `<name>.wgsl`. */
export function wgslModelFiles(dir: string, name: string): Record<string, ServedFile> {
  const files: Record<string, ServedFile> = {};
  for (const file of [`${name}.weights.bin`, `${name}.wgsl`]) files[`/${file}`] = { type: contentType(file), body: readFileSync(join(dir, file)) };
  return files;
}

/** Bundles `<dir>/<name>.js` for the browser and serves it with its weights and shader on 127.0.0.1. */
export async function serveModel(dir: string, name: string): Promise<ServedModel> {
  return serveFiles(pageFiles(await bundlePage(dir, 'page.js', PAGE_SCRIPT(name)), wgslModelFiles(dir, name)));
}

const CONTENT_TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.wgsl': 'text/plain' };
const contentType = (path: string): string => CONTENT_TYPES[extname(path)] ?? 'application/octet-stream';

/** Serves a built site (every file under `dir`, `/` being index.html) on 127.0.0.1. */
export function serveFolder(dir: string): Promise<ServedModel> {
  const files: Record<string, ServedFile> = {};
  const walk = (sub: string): void => {
    for (const entry of readdirSync(join(dir, sub), { withFileTypes: true })) {
      const path = `${sub}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else files[path] = { type: contentType(entry.name), body: readFileSync(join(dir, path)) };
    }
  };
  walk('');
  if (files['/index.html']) files['/'] = files['/index.html'];
  return serveFiles(files);
}

export interface ServedFile {
  readonly type: string;
  readonly body: Uint8Array | string;
}

/** Serves `files` and, under each prefix of `folders` ('/ort/' -> a folder), that folder's files on request. */
export async function serveFiles(files: Record<string, ServedFile>, folders: Record<string, string> = {}): Promise<ServedModel> {
  const onRequest = (path: string): ServedFile | undefined => {
    const prefix = Object.keys(folders).find((p) => path.startsWith(p));
    const relative = prefix === undefined ? '' : normalize(path.slice(prefix.length));
    const file = prefix === undefined ? '' : join(folders[prefix], relative);
    if (prefix === undefined || relative.startsWith('..') || !existsSync(file) || !statSync(file).isFile()) return undefined;
    return { type: contentType(relative), body: readFileSync(file) };
  };
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const file = files[path] ?? onRequest(path);
    res.writeHead(file ? 200 : 404, { 'content-type': file?.type ?? 'text/plain' });
    res.end(file?.body ?? 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // the browser keeps connections alive; close() alone would wait for them
      }),
  };
}

/** Headless Chromium with a fresh profile; XDG dirs kept under `scratch` so nothing lands in $HOME. */
export async function launchChromium(scratch: string): Promise<BrowserContext> {
  mkdirSync(scratch, { recursive: true });
  const profile = mkdtempSync(join(scratch, 'profile-'));
  const env = { ...process.env, XDG_CONFIG_HOME: join(scratch, 'config'), XDG_CACHE_HOME: join(scratch, 'cache') } as Record<string, string>;
  return chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, env });
}

/** Opens `url`, waits for `window[fn]` and returns what `window[fn](...args)` resolves to. */
export async function callInPage<T>(context: BrowserContext, url: string, fn: string, args: unknown[]): Promise<T> {
  const page: Page = await context.newPage();
  try {
    await page.goto(url);
    await page.waitForFunction((name) => name in window, fn);
    return (await page.evaluate(([name, values]) => (window as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[name as string](...(values as unknown[])), [fn, args] as const)) as T;
  } finally {
    await page.close();
  }
}

/** Opens the served page and runs the model once (plus `repeat` timed runs). */
export function runInPage(context: BrowserContext, url: string, input: Float32Array, repeat = 0): Promise<PageResult> {
  return callInPage<PageResult>(context, url, 'snv2cRun', [Array.from(input), repeat]);
}
