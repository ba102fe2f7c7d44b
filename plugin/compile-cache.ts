// Compiled models on disk, keyed by content: the hash covers the model and weights bytes, the options, and the
// compiler itself (every file of the installed snv2c), so an unchanged model is never compiled twice — across
// builds, dev-server restarts and watch rebuilds — and any change to the model or to snv2c compiles afresh.
// Entries are written to a private folder and renamed into place, so a concurrent build never reads half of one.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile, writeArtifactsSync } from '../api/index.ts';
import type { ModelRequest } from './model-request.ts';

/** A compilation as the plugin uses it: the folder holding every artifact, and the entry module in it. */
export interface CachedModel {
  readonly dir: string;
  /** `<name>.js`, relative to dir. */
  readonly module: string;
  /** Whether this call compiled (false: the folder came from the cache). */
  readonly compiled: boolean;
}

const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url));
const COMPILER_FOLDERS = ['api', 'compiler', 'targets', 'runtime'];
let compilerHash: string | undefined;

/** A hash of snv2c's own code (source checkout or installed build alike), computed once per process. */
function compilerFingerprint(): string {
  if (compilerHash) return compilerHash;
  const hash = createHash('sha256');
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir).sort()) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(ts|js)$/.test(entry)) hash.update(`\0${path.slice(PACKAGE_ROOT.length)}\0`).update(readFileSync(path));
    }
  };
  for (const folder of COMPILER_FOLDERS) if (existsSync(join(PACKAGE_ROOT, folder))) walk(join(PACKAGE_ROOT, folder));
  compilerHash = hash.digest('hex');
  return compilerHash;
}

export function cacheKey(request: ModelRequest): string {
  const hash = createHash('sha256').update(compilerFingerprint());
  for (const part of [...request.fingerprint, JSON.stringify({ inputShape: request.inputShape, seed: request.seed, weights: request.weightsLabel })]) {
    hash.update(`\0${typeof part === 'string' ? 's' : 'b'}${part.length}\0`).update(part);
  }
  return hash.digest('hex').slice(0, 40);
}

const inFlight = new Map<string, Promise<CachedModel>>();

/** The compiled model for `request`, from `cacheDir` when present, else compiled through the library API. */
export function compileCached(request: ModelRequest, cacheDir: string): Promise<CachedModel> {
  const key = cacheKey(request);
  const dir = join(cacheDir, key);
  const module = `${request.name}.js`;
  if (existsSync(join(dir, module))) return Promise.resolve({ dir, module, compiled: false });
  // Two imports of one model in one build share a compilation.
  let pending = inFlight.get(dir);
  if (!pending) {
    pending = compileInto(request, dir).finally(() => inFlight.delete(dir));
    inFlight.set(dir, pending);
  }
  return pending;
}

async function compileInto(request: ModelRequest, dir: string): Promise<CachedModel> {
  const result = await compile(request.source, {
    target: request.target,
    name: request.name,
    file: request.label,
    weights: request.weights,
    weightsFile: request.weightsLabel,
    inputShape: request.inputShape,
    seed: request.seed,
    warn: () => undefined,
    log: () => undefined,
  });
  const staging = `${dir}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  try {
    writeArtifactsSync(staging, result.artifacts);
    writeFileSync(join(staging, 'snv2c-cache.json'), JSON.stringify({ target: result.target, name: result.name, source: request.label }) + '\n');
    mkdirSync(join(dir, '..'), { recursive: true });
    try {
      renameSync(staging, dir);
    } catch (e) {
      if (!existsSync(join(dir, `${request.name}.js`))) throw e; // else another build stored the same entry first
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return { dir, module: `${request.name}.js`, compiled: true };
}
