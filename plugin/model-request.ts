// What an import asks the plugin for. Two forms:
//   import { createModel } from './net.onnx?target=wasm&name=net'     (an ONNX file; the query picks target and name)
//   import { createModel } from './classifier.snv2c.json'               (a spec file naming model, weights, options)
// Both become a ModelRequest: the bytes to compile (read once, so the cache keys on exactly what is compiled), the
// options, and the files whose change must trigger a rebuild. Every mistake is a PluginError naming the file.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import type { ModelSource, SpecObject } from '../api/index.ts';

/** Targets whose emitted module runs in a browser; c and neon build native code at run time, which a bundle cannot. */
export const PLUGIN_TARGETS = ['wasm', 'wgsl'] as const;
export type PluginTarget = (typeof PLUGIN_TARGETS)[number];

const QUERY_KEYS = ['target', 'name'];
/** Query parameters bundlers add themselves (Vite: `import`, and `t`/`v` timestamps and versions in dev). */
const BUNDLER_QUERY_KEYS = ['import', 't', 'v'];
const SPEC_FILE_KEYS = ['model', 'weights', 'target', 'name', 'inputShape', 'seed'];

/** A user mistake in an import or a spec file: reported by the bundler as an error on that file. */
export class PluginError extends Error {
  constructor(readonly file: string, reason: string) {
    super(`snv2c: ${file}: ${reason.replace(/[\r\n\t]+/g, ' ')}`);
    this.name = 'PluginError';
  }
}

export interface ModelRequest {
  /** The imported file (absolute), and how messages name it (relative to the project root). */
  readonly file: string;
  readonly label: string;
  readonly target: PluginTarget;
  readonly name: string;
  readonly source: ModelSource;
  readonly weights?: Uint8Array;
  readonly weightsLabel?: string;
  readonly inputShape?: readonly number[];
  readonly seed?: number;
  /** Files this compilation reads: watched, so a change rebuilds. */
  readonly watchFiles: readonly string[];
  /** Everything the compiled output depends on besides the compiler itself, for the cache key. */
  readonly fingerprint: readonly (string | Uint8Array)[];
}

const SPEC_FILE = /\.snv2c\.json$/i;

/** Whether the plugin handles this (resolved) id: an .onnx import with `?target=`, or a `*.snv2c.json` file. */
export function isModelId(id: string): boolean {
  const [path, query = ''] = splitQuery(id);
  if (SPEC_FILE.test(path)) return true;
  return /\.onnx$/i.test(path) && new URLSearchParams(query).has('target');
}

export function splitQuery(id: string): [string, string | undefined] {
  const at = id.indexOf('?');
  return at < 0 ? [id, undefined] : [id.slice(0, at), id.slice(at + 1)];
}

function readFile(path: string, file: string, what: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new PluginError(file, `cannot read ${what} ${path}: ${code === 'ENOENT' ? 'no such file' : (code ?? (e as Error).message)}`);
  }
}

function pickTarget(value: unknown, label: string, where: string): PluginTarget {
  if (typeof value === 'string' && (PLUGIN_TARGETS as readonly string[]).includes(value)) return value as PluginTarget;
  const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : String(value);
  const valid = `valid: ${PLUGIN_TARGETS.join(', ')}`;
  if (value === 'c' || value === 'neon') throw new PluginError(label, `target ${shown} in ${where} builds native code at run time, which a bundle cannot (${valid})`);
  throw new PluginError(label, `unknown target ${shown} in ${where} (${valid})`);
}

function pickName(value: unknown, label: string, where: string): string {
  if (typeof value === 'string' && /^[A-Za-z][A-Za-z0-9_]{0,62}$/.test(value)) return value;
  throw new PluginError(label, `name ${JSON.stringify(String(value).slice(0, 40))} in ${where} must be a C identifier (a letter, then letters, digits or _)`);
}

/** Reads the import `id` (absolute path plus query) into a request; `root` is what messages are relative to. */
export function readModelRequest(id: string, root: string): ModelRequest {
  const [file, query] = splitQuery(id);
  const label = relative(root, file) || file;
  const params = new URLSearchParams(query ?? '');
  for (const key of params.keys()) {
    if (!QUERY_KEYS.includes(key) && !BUNDLER_QUERY_KEYS.includes(key)) throw new PluginError(label, `unknown query parameter ${JSON.stringify(key.slice(0, 40))} (valid: ${QUERY_KEYS.join(', ')})`);
  }
  const queryTarget = params.get('target') ?? undefined;
  const queryName = params.get('name') ?? undefined;
  if (!SPEC_FILE.test(file)) {
    const bytes = readFile(file, label, 'the model');
    const target = pickTarget(queryTarget, label, '?target=');
    const name = queryName === undefined ? 'model' : pickName(queryName, label, '&name=');
    return { file, label, target, name, source: bytes, watchFiles: [file], fingerprint: ['onnx', target, name, bytes] };
  }
  return readSpecFile(file, label, queryTarget, queryName);
}

function readSpecFile(file: string, label: string, queryTarget: string | undefined, queryName: string | undefined): ModelRequest {
  const text = new TextDecoder().decode(readFile(file, label, 'the spec file'));
  let spec: Record<string, unknown>;
  try {
    spec = JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new PluginError(label, `not valid JSON: ${(e as Error).message}`);
  }
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) throw new PluginError(label, 'a spec file holds a JSON object');
  for (const key of Object.keys(spec)) {
    if (!SPEC_FILE_KEYS.includes(key)) throw new PluginError(label, `unknown key ${JSON.stringify(key.slice(0, 40))} (valid: ${SPEC_FILE_KEYS.join(', ')})`);
  }
  const here = dirname(file);
  const target = pickTarget(queryTarget ?? spec.target ?? 'wasm', label, queryTarget ? '?target=' : '"target"');
  const name = pickName(queryName ?? spec.name ?? 'model', label, queryName ? '&name=' : '"name"');
  const watchFiles = [file];
  const fingerprint: (string | Uint8Array)[] = ['spec-file', target, name, text];

  // "model": a path (.onnx or spec .json, relative to this file), a built-in name, or an inline spec object.
  let source: ModelSource;
  const model = spec.model;
  if (typeof model === 'string' && /\.(onnx|json)$/i.test(model)) {
    const path = isAbsolute(model) ? model : resolve(here, model);
    const bytes = readFile(path, label, 'the model named by "model",');
    watchFiles.push(path);
    fingerprint.push(bytes);
    source = /\.onnx$/i.test(path) ? bytes : (parseSpecJson(bytes, label, model) as SpecObject);
  } else if (typeof model === 'string' || (model !== null && typeof model === 'object' && !Array.isArray(model))) {
    source = model as ModelSource;
  } else {
    throw new PluginError(label, '"model" must name an .onnx file, a spec .json, a built-in name such as shufflenet_v2_x1_0, or hold a spec object');
  }

  let weights: Uint8Array | undefined;
  let weightsLabel: string | undefined;
  if (spec.weights !== undefined) {
    if (typeof spec.weights !== 'string') throw new PluginError(label, '"weights" must be a path (.pth, .pt or .safetensors) relative to the spec file');
    const path = isAbsolute(spec.weights) ? spec.weights : resolve(here, spec.weights);
    if (!existsSync(path)) throw new PluginError(label, `weights file ${spec.weights} does not exist (looked for ${path})`);
    weights = readFile(path, label, 'the weights');
    weightsLabel = spec.weights;
    watchFiles.push(path);
    fingerprint.push(weights);
  }
  const inputShape = spec.inputShape;
  if (inputShape !== undefined && !(Array.isArray(inputShape) && inputShape.every((d) => Number.isInteger(d) && d > 0))) {
    throw new PluginError(label, '"inputShape" must be an array of positive integers such as [1, 3, 224, 224]');
  }
  const seed = spec.seed;
  if (seed !== undefined && !Number.isInteger(seed)) throw new PluginError(label, '"seed" must be an integer');
  return { file, label, target, name, source, weights, weightsLabel, inputShape: inputShape as number[] | undefined, seed: seed as number | undefined, watchFiles, fingerprint };
}

function parseSpecJson(bytes: Uint8Array, label: string, name: string): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    throw new PluginError(label, `${name} is not valid JSON: ${(e as Error).message}`);
  }
}
