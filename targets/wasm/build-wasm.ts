// Builds emitted C into a freestanding wasm32 module with clang + wasm-ld: SIMD128 for the vectorised kernels,
// bulk memory so any memset/memcpy the compiler introduces becomes memory.fill/copy (no libc to link). The
// relaxed build adds -mrelaxed-simd (the wasm vocabularies then fuse multiply-adds); its prototype opcodes are
// renumbered to the standard ones (relaxed-opcodes.ts).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompileError } from '../../compiler/ir/errors.ts';
import type { Artifact } from '../../compiler/target.ts';
import { renumberRelaxedOpcodes } from './relaxed-opcodes.ts';

export const WASM_CFLAGS = ['--target=wasm32', '-std=c99', '-O3', '-msimd128', '-mbulk-memory', '-ffreestanding', '-nostdlib', '-Wall', '-Wextra', '-Werror', '-pedantic'];

export function wasmCompiler(): string {
  return process.env.SNV2C_WASM_CC || 'clang';
}

export interface WasmBuildOptions {
  /** Also allow relaxed SIMD (-mrelaxed-simd). */
  readonly relaxed?: boolean;
  /** Flags after the standard ones (an instrumented build adds -DSNV2C_PROFILE). */
  readonly extraFlags?: readonly string[];
}

interface ClangResult {
  readonly error?: string;
  readonly status: number | null;
  readonly stderr: string;
}

/**
 * Runs one clang per argument list at the same time and waits for all. The target's emit is synchronous, so a
 * short-lived Node child does the waiting: the baseline and relaxed builds then take one build's wall time on
 * two cores instead of two.
 */
function runClangs(cc: string, cwd: string, argLists: readonly (readonly string[])[]): ClangResult[] {
  if (argLists.length === 1) {
    const r = spawnSync(cc, argLists[0], { cwd, encoding: 'utf8' });
    return [{ error: r.error?.message, status: r.status, stderr: r.stderr ?? '' }];
  }
  const waiter = `
    const { spawn } = require('node:child_process');
    const [cc, jobs] = JSON.parse(process.argv[1]);
    Promise.all(jobs.map((args) => new Promise((done) => {
      let stderr = '';
      const child = spawn(cc, args, { stdio: ['ignore', 'ignore', 'pipe'] });
      child.stderr.on('data', (d) => (stderr += d));
      child.on('error', (e) => done({ error: e.message, status: null, stderr }));
      child.on('close', (status) => done({ status, stderr }));
    }))).then((results) => process.stdout.write(JSON.stringify(results)));`;
  const r = spawnSync(process.execPath, ['-e', waiter, JSON.stringify([cc, argLists])], { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new CompileError(`wasm target: the build helper process failed: ${(r.stderr || r.error?.message || '').split('\n')[0]}`, { kind: 'internal' });
  return JSON.parse(r.stdout) as ClangResult[];
}

/**
 * Compiles the given C artifacts (all .c files among them) to wasm modules exporting `exportNames` and `memory`,
 * one per variant (built in parallel), in the order given.
 */
export function buildWasmVariants(sources: readonly Artifact[], exportNames: readonly string[], variants: readonly WasmBuildOptions[]): Uint8Array[] {
  const cc = wasmCompiler();
  const dir = mkdtempSync(join(tmpdir(), 'snv2c-wasm-'));
  try {
    for (const a of sources) writeFileSync(join(dir, a.path), a.contents);
    const cFiles = sources.filter((a) => a.path.endsWith('.c')).map((a) => a.path);
    const argLists = variants.map((v, i) => [
      ...WASM_CFLAGS, ...(v.relaxed ? ['-mrelaxed-simd'] : []), ...(v.extraFlags ?? []),
      '-Wl,--no-entry', '-Wl,-z,stack-size=1048576', ...exportNames.map((n) => `-Wl,--export=${n}`), '-o', `model-${i}.wasm`, ...cFiles,
    ]);
    return runClangs(cc, dir, argLists).map((result, i) => {
      if (result.error) throw new CompileError(`wasm target: cannot run ${JSON.stringify(cc)} (${result.error}); install clang and lld (Debian: apt-get install clang lld)`, { kind: 'io' });
      if (result.status !== 0) {
        const err = result.stderr;
        const hint = /wasm-ld|lld/.test(err) && /not found|No such file|unable to execute/i.test(err) ? ' (the wasm linker is missing: apt-get install lld)' : '';
        throw new CompileError(`wasm target: clang failed${hint}: ${err.split('\n').slice(0, 6).join(' | ')}`);
      }
      const wasm = new Uint8Array(readFileSync(join(dir, `model-${i}.wasm`)));
      if (variants[i].relaxed) renumberRelaxedOpcodes(wasm);
      return wasm;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One variant of buildWasmVariants. */
export function buildWasm(sources: readonly Artifact[], exportNames: readonly string[], options: WasmBuildOptions = {}): Uint8Array {
  return buildWasmVariants(sources, exportNames, [options])[0];
}
