// On-disk cache of emitted JavaScript + declarations. Emitting the runtime's 17 files from source took ~0.8 s
// of every compile from a source checkout, and loading ts-morph ~0.9 s more, for text that only changes when
// the sources or the emitter do. Entries are keyed by a hash of everything the text depends on: the inputs,
// the emitting modules' own code and the ts-morph / TypeScript versions, so an entry is never stale, only
// unused. Entries are written to a private file and renamed into place: concurrent compiles either find a
// whole entry or none, and two writers of one key write the same bytes.

import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultCacheDir } from '../../runtime/native-build.ts';
import { EMITTER_MODULE, type EmittedFile } from './emit-js.ts';
import { tsMorphVersions } from './ts-morph-loader.ts';

/** Changes when the entry layout does. */
const FORMAT = 'snv2c-emitted-js/1';

export interface EmitCacheKey {
  /** URLs (import.meta.url) of the modules besides emit-js.ts whose code shapes the text: their contents are hashed. */
  readonly emitters: readonly string[];
  /** Everything else the text depends on (sources, a serialised module spec), in a fixed order. */
  readonly inputs: readonly string[];
}

/** `$SNV2C_CACHE_DIR`, `$XDG_CACHE_HOME/snv2c` or `~/.cache/snv2c`, then emitted-js/. */
export function emitCacheDir(): string {
  return join(defaultCacheDir(), 'emitted-js');
}

let versions: string | undefined;

function entryName(key: EmitCacheKey): string {
  versions ??= tsMorphVersions();
  const hash = createHash('sha256');
  // Length prefixes keep the parts apart whatever they contain.
  const part = (text: string | Buffer) => hash.update(`${text.length}:`).update(text);
  part(FORMAT);
  part(versions);
  for (const url of [EMITTER_MODULE, ...key.emitters]) part(readFileSync(new URL(url)));
  for (const input of key.inputs) part(input);
  return `${hash.digest('hex')}.json`;
}

function isEmittedFiles(value: unknown): value is EmittedFile[] {
  return Array.isArray(value) && value.every((f) => typeof f?.path === 'string' && typeof f?.text === 'string');
}

function readEntry(file: string): EmittedFile[] | undefined {
  try {
    const entry = JSON.parse(readFileSync(file, 'utf8')) as { format?: unknown; files?: unknown };
    return entry.format === FORMAT && isEmittedFiles(entry.files) ? entry.files : undefined;
  } catch {
    return undefined; // absent or unreadable: emit afresh
  }
}

function writeEntry(dir: string, file: string, files: readonly EmittedFile[]): void {
  const staging = `${file}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(staging, JSON.stringify({ format: FORMAT, files }));
    renameSync(staging, file);
  } catch {
    // A cache that cannot be written (read-only home, full disk) costs time on the next compile, nothing else.
    rmSync(staging, { force: true });
  }
}

/** The files `emit` returns for `key`: from the cache when an entry exists, else emitted now and stored. */
export function cachedEmit(key: EmitCacheKey, emit: () => EmittedFile[], dir: string = emitCacheDir()): EmittedFile[] {
  const file = join(dir, entryName(key));
  const cached = readEntry(file);
  if (cached) return cached;
  const files = emit();
  writeEntry(dir, file, files);
  return files;
}
