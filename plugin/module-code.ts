// Turns a compiled model's `<name>.js` into the module a bundler serves for `model.onnx?target=...`. The emitted
// module refers to two kinds of files next to it, in two fixed forms that snv2c itself writes:
//   import { ... } from "./snv2c-runtime/<file>.js"      -> the shared runtime module (one copy per bundle)
//   new URL("./<file>", import.meta.url)                  -> a binary artifact (.wasm, .weights.bin, .wgsl, ...)
// Every artifact referenced the second way becomes an asset of the bundle, whatever its name or kind: the
// bundler-specific part is only how an asset's URL is spelt (see asset-urls.ts).

import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface AssetReference {
  /** Statements to put at the top of the module (e.g. `import u0 from "..."`). */
  readonly imports: readonly string[];
  /** An expression evaluating to the asset's URL (a URL object or a string `new URL` accepts). */
  readonly url: string;
}

export interface ModuleCodeOptions {
  /** The id the bundler should load for a runtime file such as `wasm-model.js`. */
  readonly runtimeId: (file: string) => string;
  /** How to refer to the artifact at `path` (absolute, on disk); `index` is unique within the module. */
  readonly asset: (path: string, index: number) => AssetReference;
}

const RUNTIME_IMPORT = /(["'])\.\/snv2c-runtime\/([A-Za-z0-9_-]+\.js)\1/g;
const ARTIFACT_URL = /new URL\((["'])\.\/([A-Za-z0-9_.-]+)\1, import\.meta\.url\)/g;

/** The bundler module for `code` (a compiled `<name>.js` read from `dir`). */
export function moduleCode(code: string, dir: string, options: ModuleCodeOptions): string {
  const imports: string[] = [];
  let index = 0;
  const body = code
    .replace(RUNTIME_IMPORT, (_, quote: string, file: string) => JSON.stringify(options.runtimeId(file)))
    .replace(ARTIFACT_URL, (whole: string, quote: string, file: string) => {
      const path = join(dir, file);
      if (!existsSync(path)) throw new Error(`snv2c plugin: the compiled module refers to ${file}, which the target did not emit`);
      const asset = options.asset(path, index++);
      imports.push(...asset.imports);
      return `new URL(${asset.url}, import.meta.url)`;
    });
  return imports.length ? `${imports.join('\n')}\n${body}` : body;
}

/** Runtime modules import each other as `./<file>.js`: the files they name, for resolving inside the runtime. */
export const RUNTIME_RELATIVE = /^\.\/([A-Za-z0-9_-]+\.js)$/;
