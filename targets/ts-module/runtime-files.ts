// The runtime an emitted `<name>.js` imports, written next to it as `snv2c-runtime/*.js` + `.d.ts` so the
// compiled model folder runs (and type-checks) without the compiler installed.
//
// Where the runtime comes from: in the built package the compiled runtime (`runtime/*.js` + `.d.ts`) sits two
// folders above this file's own compiled copy, and is copied as is; run from source, `runtime/*.ts` is emitted
// to JavaScript once per process with the same emitter as the model module.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { Artifact } from '../../compiler/target.ts';
import { emitJavaScript } from './emit-js.ts';

export const RUNTIME_DIR = 'snv2c-runtime';

const RUNTIME_FOLDER = new URL('../../runtime/', import.meta.url);

let emittedFromSource: Map<string, string> | undefined;

function emitRuntimeFromSource(): Map<string, string> {
  const sources = new Map<string, string>();
  for (const file of readdirSync(RUNTIME_FOLDER).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).sort()) {
    sources.set(file, readFileSync(new URL(file, RUNTIME_FOLDER), 'utf8'));
  }
  return new Map(emitJavaScript(sources).map((f) => [f.path, f.text]));
}

/** One compiled runtime file (`model-api.js`, `model-api.d.ts`): the package's own build if present, else emitted from source. */
function runtimeFile(file: string): string {
  const built = new URL(file, RUNTIME_FOLDER);
  const source = new URL(file.replace(/\.d\.ts$|\.js$/, '.ts'), RUNTIME_FOLDER);
  if (existsSync(built) || !existsSync(source)) return readFileSync(built, 'utf8');
  emittedFromSource ??= emitRuntimeFromSource();
  const text = emittedFromSource.get(file);
  if (text === undefined) throw new Error(`snv2c runtime: no ${file} emitted from ${source.pathname}`);
  return text;
}

/** Relative modules a compiled file imports (`./x.js`), from its import/export statements and import() types. */
function importedModules(text: string): string[] {
  return [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)["']\.\/([A-Za-z0-9_-]+)\.js["']/gm)].map((m) => m[1]);
}

/**
 * `modules` (runtime module names such as 'wasm-model') and every runtime module they import, each as `.js` and
 * `.d.ts` under RUNTIME_DIR, sorted by path.
 */
export function runtimeArtifacts(modules: readonly string[]): Artifact[] {
  const wanted = new Set(modules);
  const files = new Map<string, string>();
  for (const module of wanted) {
    for (const file of [`${module}.js`, `${module}.d.ts`]) {
      const text = runtimeFile(file);
      files.set(file, text);
      for (const imported of importedModules(text)) wanted.add(imported);
    }
  }
  return [...files.keys()].sort().map((file) => ({ path: `${RUNTIME_DIR}/${file}`, contents: files.get(file)! }));
}
