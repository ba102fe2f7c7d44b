// The runtime the compiled modules import, served as virtual modules shared by every model in a bundle (a page
// importing a wasm and a wgsl model gets one copy of model-api.js). The text is the same JavaScript the targets
// write into snv2c-runtime/, from the same place (targets/ts-module/runtime-files.ts).

import { runtimeArtifacts } from '../targets/ts-module/runtime-files.ts';

/** How the compiled module imports a runtime file (`virtual:snv2c-runtime/wasm-model.js`). */
export const RUNTIME_IMPORT_PREFIX = 'virtual:snv2c-runtime/';
/** What it resolves to: Rollup's convention for ids that are not files, a leading NUL that keeps other plugins away. */
export const RUNTIME_ID_PREFIX = `\0${RUNTIME_IMPORT_PREFIX}`;

const cache = new Map<string, string>();

/** The JavaScript of runtime file `file` (e.g. `wasm-model.js`). */
export function runtimeModule(file: string): string {
  let text = cache.get(file);
  if (text === undefined) {
    const module = file.replace(/\.js$/, '');
    const artifact = runtimeArtifacts([module]).find((a) => a.path.endsWith(`/${file}`));
    if (!artifact) throw new Error(`snv2c plugin: no runtime file ${file}`);
    text = artifact.contents as string;
    cache.set(file, text);
  }
  return text;
}
