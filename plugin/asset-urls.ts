// How each bundler spells "the URL of this file once it is an asset of the bundle". The files are the compiled
// artifacts in the plugin's cache folder; every bundler names the emitted copy by its content hash.
//   Vite (build and dev): `import url from "/abs/file?url&no-inline"` (hashed asset in build, served in dev)
//   esbuild:              `import url from "snv2c-asset:/abs/file"` loaded with esbuild's `file` loader
//   Rollup / Rolldown:    this.emitFile(...) and `import.meta.ROLLUP_FILE_URL_<ref>`
//   webpack / rspack / others: `new URL("/abs/file", import.meta.url)`, which webpack 5 turns into an asset module

import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { AssetReference } from './module-code.ts';

/** Prefix of the ids the esbuild adapter loads with the `file` loader. */
export const ESBUILD_ASSET_PREFIX = 'snv2c-asset:';

export type Framework = string;

interface EmitContext {
  emitFile?: (file: { type: 'asset'; name: string; source: Uint8Array }) => unknown;
}

export function assetReference(framework: Framework, context: EmitContext, path: string, index: number): AssetReference {
  const local = `__snv2c_asset_${index}`;
  switch (framework) {
    case 'vite':
      return { imports: [`import ${local} from ${JSON.stringify(`${path}?url&no-inline`)};`], url: local };
    case 'esbuild':
      return { imports: [`import ${local} from ${JSON.stringify(ESBUILD_ASSET_PREFIX + path)};`], url: local };
    case 'rollup':
    case 'rolldown': {
      const ref = context.emitFile?.({ type: 'asset', name: basename(path), source: readFileSync(path) });
      if (typeof ref !== 'string') throw new Error(`snv2c plugin: ${framework} did not return an asset reference for ${basename(path)}`);
      return { imports: [], url: `import.meta.ROLLUP_FILE_URL_${ref}` };
    }
    default:
      return { imports: [], url: JSON.stringify(path) };
  }
}
