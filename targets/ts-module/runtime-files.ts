// The runtime an emitted `<name>.js` imports, written next to it as `snv2c-runtime/*.js` + `.d.ts` so the
// compiled model folder runs (and type-checks) without the compiler installed.
//
// Where the runtime comes from: in the built package the compiled runtime (`runtime/*.js` + `.d.ts`) sits two
// folders above this file's own compiled copy, and is copied as is; run from source, `runtime/*.ts` is emitted
// to JavaScript with the same emitter as the model module, through the emit cache (the same sources always give
// the same files), at most once per process.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { Artifact } from '../../compiler/target.ts';
import { cachedEmit, emitCacheDir } from './emit-cache.ts';
import { emitJavaScript } from './emit-js.ts';

export const RUNTIME_DIR = 'snv2c-runtime';

const RUNTIME_FOLDER = new URL('../../runtime/', import.meta.url);

const emittedFromSource = new Map<string, Map<string, string>>();

/** Every `*.ts` runtime source in `folder` emitted as `.js` + `.d.ts` (file name -> text), cached in `cacheDir`. */
export function emitRuntimeFromSource(folder: URL, cacheDir: string = emitCacheDir()): Map<string, string> {
  const sources = new Map<string, string>();
  for (const file of readdirSync(folder).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).sort()) {
    sources.set(file, readFileSync(new URL(file, folder), 'utf8'));
  }
  const key = { emitters: [], inputs: [...sources].flat() };
  return new Map(cachedEmit(key, () => emitJavaScript(sources), cacheDir).map((f) => [f.path, f.text]));
}

/** One compiled runtime file (`model-api.js`, `model-api.d.ts`): the package's own build if present, else emitted from source. */
function runtimeFile(folder: URL, file: string): string {
  const built = new URL(file, folder);
  const source = new URL(file.replace(/\.d\.ts$|\.js$/, '.ts'), folder);
  if (existsSync(built) || !existsSync(source)) return readFileSync(built, 'utf8');
  if (!emittedFromSource.has(folder.href)) emittedFromSource.set(folder.href, emitRuntimeFromSource(folder));
  const text = emittedFromSource.get(folder.href)!.get(file);
  if (text === undefined) throw new Error(`snv2c runtime: no ${file} emitted from ${source.pathname}`);
  return text;
}

/**
 * Relative modules a compiled file imports, from its import/export statements and import() types. A tsc build
 * leaves `./x.ts` in declarations (TypeScript resolves it to x.d.ts), the emitter writes `./x.js`: both count.
 */
function importedModules(text: string): string[] {
  return [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)["']\.\/([A-Za-z0-9_-]+)\.[jt]s["']/gm)].map((m) => m[1]);
}

/**
 * `modules` (runtime module names such as 'wasm-model') and every runtime module they import, each as `.js` and
 * `.d.ts` under RUNTIME_DIR, sorted by path. `folder` is where the runtime lives (this package's by default).
 */
export function runtimeArtifacts(modules: readonly string[], folder: URL = RUNTIME_FOLDER): Artifact[] {
  const wanted = new Set(modules);
  const files = new Map<string, string>();
  for (const module of wanted) {
    for (const file of [`${module}.js`, `${module}.d.ts`]) {
      const text = runtimeFile(folder, file);
      files.set(file, text);
      for (const imported of importedModules(text)) wanted.add(imported);
    }
  }
  return [...files.keys()].sort().map((file) => ({ path: `${RUNTIME_DIR}/${file}`, contents: files.get(file)! }));
}
