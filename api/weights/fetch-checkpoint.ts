// `snv2c weights fetch shufflenet_v2_x1_0`: downloads torchvision's checkpoint into the cache the native
// harness uses too ($SNV2C_CACHE_DIR, else $XDG_CACHE_HOME/snv2c or ~/.cache/snv2c), checks the sha256 prefix its file name carries, and only then
// gives it its name there: a corrupt or cut download is deleted, never cached. A cached file is re-checked
// before use. The download goes to a temporary name beside its destination and is renamed when verified, so an
// interrupted run leaves nothing that looks complete.

import { createHash } from 'node:crypto';
import { closeSync, copyFileSync, createReadStream, existsSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CompileError } from '../../compiler/ir/errors.ts';
import { defaultCacheDir } from '../../runtime/native-build.ts';
import { hashPrefixOf, TORCHVISION_CHECKPOINTS, TORCHVISION_MODELS_URL } from './torchvision-checkpoints.ts';

export interface FetchCheckpointOptions {
  /** Cache folder (default $SNV2C_CACHE_DIR, $XDG_CACHE_HOME/snv2c or ~/.cache/snv2c); checkpoints go to weights/ in it. */
  readonly cacheDir?: string;
  /** Where the files are served (default $SNV2C_WEIGHTS_URL, else torchvision's download.pytorch.org/models/). */
  readonly baseUrl?: string;
  /** Also copy the checkpoint into this folder; the returned path is then the copy. */
  readonly outDir?: string;
  /** Model name -> file name (default torchvision's ShuffleNetV2 checkpoints). */
  readonly checkpoints?: Readonly<Record<string, string>>;
  /** Progress lines (default none). */
  readonly log?: (line: string) => void;
}

const ioError = (reason: string, file?: string) => new CompileError(reason, { file, kind: 'io' });

async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

const temporaryBeside = (path: string) => join(dirname(path), `.${basename(path)}.${process.pid}.part`);

/** Streams `url` into `path` (via a temporary name), refusing it unless its sha256 starts with `prefix`. */
async function download(url: string, path: string, prefix: string, log: (line: string) => void): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, { redirect: 'follow' });
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    throw ioError(`cannot download ${url}: ${cause?.code ?? cause?.message ?? (e as Error).message}`);
  }
  if (!response.ok || !response.body) throw ioError(`cannot download ${url}: HTTP ${response.status}`);
  const size = Number(response.headers.get('content-length') ?? NaN);
  log(`downloading ${url}${Number.isFinite(size) ? ` (${(size / 1e6).toFixed(1)} MB)` : ''}`);
  const temp = temporaryBeside(path);
  const hash = createHash('sha256');
  const fd = openSync(temp, 'w');
  try {
    try {
      for await (const chunk of response.body) {
        hash.update(chunk);
        writeSync(fd, chunk);
      }
    } finally {
      closeSync(fd);
    }
    const digest = hash.digest('hex');
    if (!digest.startsWith(prefix)) {
      throw ioError(`corrupt download refused: its sha256 is ${digest.slice(0, 16)}..., the file name promises ${prefix}... (nothing was cached)`, url);
    }
    renameSync(temp, path);
  } catch (e) {
    rmSync(temp, { force: true });
    if (e instanceof CompileError) throw e;
    throw ioError(`cannot download ${url}: ${(e as Error).message}`);
  }
}

/** Fetches (or finds in the cache) the named model's checkpoint; returns the path of the verified file. */
export async function fetchCheckpoint(model: string, opts: FetchCheckpointOptions = {}): Promise<string> {
  const checkpoints = opts.checkpoints ?? TORCHVISION_CHECKPOINTS;
  const fileName = Object.hasOwn(checkpoints, model) ? checkpoints[model] : undefined;
  if (!fileName) {
    throw new CompileError(`no published checkpoint named ${JSON.stringify(model.slice(0, 40))}; available: ${Object.keys(checkpoints).join(', ')}`, { kind: 'invalid-input' });
  }
  const prefix = hashPrefixOf(fileName);
  const log = opts.log ?? (() => {});
  const folder = join(opts.cacheDir ?? defaultCacheDir(), 'weights');
  try {
    mkdirSync(folder, { recursive: true });
  } catch (e) {
    throw ioError(`cannot create the cache folder: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, folder);
  }
  const cached = join(folder, fileName);
  if (existsSync(cached) && !(await sha256OfFile(cached)).startsWith(prefix)) {
    log(`cached ${fileName} fails its sha256 check: downloading it again`);
    rmSync(cached, { force: true });
  }
  if (!existsSync(cached)) {
    const base = opts.baseUrl ?? (process.env.SNV2C_WEIGHTS_URL || TORCHVISION_MODELS_URL);
    await download(new URL(fileName, base.endsWith('/') ? base : base + '/').href, cached, prefix, log);
  }
  if (opts.outDir === undefined) return cached;
  const copy = join(opts.outDir, fileName);
  try {
    mkdirSync(opts.outDir, { recursive: true });
    copyFileSync(cached, temporaryBeside(copy));
    renameSync(temporaryBeside(copy), copy);
  } catch (e) {
    rmSync(temporaryBeside(copy), { force: true });
    throw ioError(`cannot write the checkpoint: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, copy);
  }
  return copy;
}
