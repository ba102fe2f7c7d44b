// Instantiates a compilation in this process through the very module it emitted (`<name>.js`, or `<name>.ts`
// when running from source): `snv2c run`, `verify`, `bench` and the tests exercise what users import, not a
// second loader. The artifacts go to a private temporary folder that dispose() removes.

import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Model } from '../runtime/model-api.ts';
import type { CompileResult } from './compile.ts';
import { writeArtifactsSync } from './write-artifacts.ts';

interface EmittedModule {
  createModel(options?: Record<string, unknown>): Promise<Model>;
}

/** The entry module of a compiled folder: `<name>.js` if emitted, else `<name>.ts`. */
export function entryModule(dir: string, name: string): string {
  const js = join(dir, `${name}.js`);
  return existsSync(js) ? js : join(dir, `${name}.ts`);
}

/** Imports `<dir>/<name>.js` (or .ts) and creates the model with the given options. */
export async function loadCompiledFolder(dir: string, name: string, options: Record<string, unknown> = {}): Promise<Model> {
  const emitted = (await import(pathToFileURL(entryModule(dir, name)).href)) as EmittedModule;
  return emitted.createModel(options);
}

/**
 * The node_modules folder this library resolves optional runtime packages from (`webgpu`, Dawn for Node), so a
 * module emitted into a temporary folder finds the same ones; undefined when none is installed.
 */
function runtimePackagesFolder(): string | undefined {
  try {
    return dirname(dirname(createRequire(import.meta.url).resolve('webgpu/package.json')));
  } catch {
    return undefined;
  }
}

/** Writes `result`'s artifacts to a temporary folder and creates the model from its emitted module. */
export async function loadCompiled(result: Pick<CompileResult, 'name' | 'artifacts'>, options: Record<string, unknown> = {}): Promise<Model> {
  const scratch = mkdtempSync(join(tmpdir(), 'snv2c-model-'));
  const cleanup = () => rmSync(scratch, { recursive: true, force: true });
  try {
    const dir = join(scratch, 'out');
    const hasPackageJson = result.artifacts.some((a) => a.path === 'package.json');
    // The emitted modules are ES modules; outside a package they need this to be read as such.
    writeArtifactsSync(dir, hasPackageJson ? result.artifacts : [...result.artifacts, { path: 'package.json', contents: '{ "type": "module" }\n' }]);
    const packages = runtimePackagesFolder();
    if (packages) symlinkSync(packages, join(scratch, 'node_modules'), 'dir');
    const model = await loadCompiledFolder(dir, result.name, options);
    const dispose = model.dispose.bind(model);
    return Object.assign(model, {
      dispose: () => {
        try {
          dispose();
        } finally {
          cleanup();
        }
      },
    });
  } catch (e) {
    cleanup();
    throw e;
  }
}
