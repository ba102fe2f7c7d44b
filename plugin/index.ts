// `snv2c/plugin`: compile models at build time from an import, for esbuild, Vite, Rollup, Rolldown and webpack
// (one implementation on unplugin):
//   import { createModel } from './net.onnx?target=wasm';          // or ?target=wgsl, &name=net
//   import { createModel } from './classifier.snv2c.json';          // a spec file: { model, weights, target, ... }
//   const model = await createModel(); const logits = await model.run(input);
// The compiled module's binary files (.wasm, .weights.bin, ...) become hashed assets of the bundle, loaded by URL.
// Compiled output is cached on disk by content hash; in watch and dev mode a changed model recompiles.

import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { createUnplugin, type UnpluginInstance } from 'unplugin';
import { CompileError } from '../api/index.ts';
import { assetReference, ESBUILD_ASSET_PREFIX } from './asset-urls.ts';
import { compileCached } from './compile-cache.ts';
import { moduleCode, RUNTIME_RELATIVE } from './module-code.ts';
import { runtimeModule, RUNTIME_ID_PREFIX, RUNTIME_IMPORT_PREFIX } from './runtime-modules.ts';
import { isModelId, PluginError, readModelRequest, splitQuery } from './model-request.ts';

export interface Snv2cPluginOptions {
  /** Where compiled models are cached (default: node_modules/.cache/snv2c under the working directory). */
  readonly cacheDir?: string;
  /** What messages name files relative to (default: the working directory). */
  readonly root?: string;
  /** One line per model: compiled (with the time) or taken from the cache. Default: silent. */
  readonly log?: (line: string) => void;
}

export { PLUGIN_TARGETS } from './model-request.ts';

const PLUGIN_NAME = 'snv2c';

/**
 * Resolved ids of model imports: `\0snv2c-model:/abs/net.onnx.js?target=wasm`. A virtual id, so no other plugin
 * (JSON, assets) touches it; the `.js` makes dev servers treat it as JavaScript (Vite skips import analysis for
 * ids ending in `.json`).
 */
const MODEL_ID_PREFIX = '\0snv2c-model:';
const toModelId = (file: string, query: string | undefined): string => `${MODEL_ID_PREFIX}${file}.js${query === undefined ? '' : `?${query}`}`;
function fromModelId(id: string): string {
  const [path, query] = splitQuery(id.slice(MODEL_ID_PREFIX.length));
  return `${path.replace(/\.js$/, '')}${query === undefined ? '' : `?${query}`}`;
}

/** A bundler error message for anything a compilation throws: file, node and reason on one line. */
function errorMessage(e: unknown, label: string): string {
  if (e instanceof PluginError) return e.message;
  if (e instanceof CompileError) {
    const where = [e.file ?? label, e.node ? `node ${e.node}` : undefined].filter(Boolean).join(': ');
    return `snv2c: ${where}: ${e.reason.replace(/[\r\n\t]+/g, ' ')} (${e.kind})`;
  }
  return `snv2c: ${label}: ${e instanceof Error ? e.message : String(e)}`;
}

export const snv2c: UnpluginInstance<Snv2cPluginOptions | undefined, false> = createUnplugin((options = {}, meta) => {
  const root = resolve(options.root ?? process.cwd());
  const cacheDir = resolve(root, options.cacheDir ?? join('node_modules', '.cache', 'snv2c'));
  const log = options.log ?? (() => undefined);

  return {
    name: PLUGIN_NAME,
    enforce: 'pre',

    resolveId(id, importer) {
      // Dev servers resolve the ids they serve once more (Vite: /@id/__x00__...): already ours, kept as they are.
      if (id.startsWith(MODEL_ID_PREFIX) || id.startsWith(RUNTIME_ID_PREFIX)) return id;
      if (id.startsWith(RUNTIME_IMPORT_PREFIX)) return `\0${id}`;
      if (importer?.startsWith(RUNTIME_ID_PREFIX)) {
        const file = RUNTIME_RELATIVE.exec(id)?.[1];
        return file ? RUNTIME_ID_PREFIX + file : null;
      }
      if (id.startsWith(ESBUILD_ASSET_PREFIX) || !isModelId(id)) return null; // assets: the esbuild adapter's own onResolve
      const [path, query] = splitQuery(id);
      const importerFile = importer === undefined ? undefined : importer.startsWith(MODEL_ID_PREFIX) ? splitQuery(fromModelId(importer))[0] : splitQuery(importer)[0];
      const absolute = resolve(importerFile ? dirname(importerFile) : root, path);
      return toModelId(absolute, query);
    },

    loadInclude: (id) => id.startsWith(RUNTIME_ID_PREFIX) || id.startsWith(MODEL_ID_PREFIX),

    async load(id) {
      if (id.startsWith(RUNTIME_ID_PREFIX)) return runtimeModule(id.slice(RUNTIME_ID_PREFIX.length));
      if (!id.startsWith(MODEL_ID_PREFIX)) return null;
      const modelId = fromModelId(id);
      try {
        const request = readModelRequest(modelId, root);
        for (const file of request.watchFiles) this.addWatchFile(file);
        const started = performance.now();
        const cached = await compileCached(request, cacheDir);
        log(`snv2c: ${request.label} (${request.target}) ${cached.compiled ? `compiled in ${(performance.now() - started).toFixed(0)} ms` : 'from cache'}`);
        const code = readFileSync(join(cached.dir, cached.module), 'utf8');
        return moduleCode(code, cached.dir, {
          runtimeId: (file) => RUNTIME_IMPORT_PREFIX + file,
          asset: (path, index) => assetReference(meta.framework, this as never, path, index),
        });
      } catch (e) {
        throw new Error(errorMessage(e, relative(root, splitQuery(modelId)[0])));
      }
    },

    esbuild: {
      loader: 'js',
      setup(build) {
        // Artifacts go through esbuild's `file` loader: copied to the output folder under a content hash, the
        // import's value being its path relative to the importing bundle.
        build.onResolve({ filter: /^snv2c-asset:/ }, (args) => ({ path: args.path.slice(ESBUILD_ASSET_PREFIX.length), namespace: 'snv2c-asset' }));
        build.onLoad({ filter: /.*/, namespace: 'snv2c-asset' }, (args) => ({ contents: readFileSync(args.path), loader: 'file' }));
      },
    },
  };
});

export default snv2c;
