// Writes a compilation's artifacts all or nothing: everything goes to a fresh sibling folder first, which is then
// renamed into place (or, when the folder exists, each top-level entry is replaced), so a failure never leaves a
// half-written model behind.

import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { CompileError } from '../compiler/ir/errors.ts';
import type { Artifact } from '../compiler/target.ts';

const escapesFolder = (path: string): boolean => path.startsWith('/') || path.split(/[\\/]/).some((part) => part === '..' || part === '');

/** Synchronous form, for callers that already run synchronously (the plugin's cache, tests). */
export function writeArtifactsSync(dir: string, artifacts: readonly Artifact[]): void {
  const target = resolve(dir);
  const staging = join(dirname(target), `.${basename(target)}.snv2c-tmp-${process.pid}`);
  for (const a of artifacts) {
    if (escapesFolder(a.path)) throw new CompileError(`artifact path ${JSON.stringify(a.path)} escapes the output folder`, { kind: 'internal' });
  }
  rmSync(staging, { recursive: true, force: true });
  try {
    for (const a of artifacts) {
      const file = join(staging, a.path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, a.contents);
    }
    if (!existsSync(target)) {
      mkdirSync(dirname(target), { recursive: true });
      renameSync(staging, target);
      return;
    }
    for (const top of new Set(artifacts.map((a) => a.path.split(/[\\/]/)[0]))) {
      rmSync(join(target, top), { recursive: true, force: true });
      renameSync(join(staging, top), join(target, top));
    }
  } catch (e) {
    throw new CompileError(`cannot write the output: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, { file: dir, kind: 'io' });
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Writes every artifact under `dir` (created; entries of the same name are replaced), all or nothing. */
export async function writeArtifacts(dir: string, artifacts: readonly Artifact[]): Promise<void> {
  writeArtifactsSync(dir, artifacts);
}
