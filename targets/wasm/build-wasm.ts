// Builds emitted C into a freestanding wasm32 module with clang + wasm-ld: SIMD128 for the vectorised kernels,
// bulk memory so any memset/memcpy the compiler introduces becomes memory.fill/copy (no libc to link).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompileError } from '../../compiler/ir/errors.ts';
import type { Artifact } from '../../compiler/target.ts';

export const WASM_CFLAGS = ['--target=wasm32', '-std=c99', '-O3', '-msimd128', '-mbulk-memory', '-ffreestanding', '-nostdlib', '-Wall', '-Wextra', '-Werror', '-pedantic'];

export function wasmCompiler(): string {
  return process.env.SNV2C_WASM_CC || 'clang';
}

/**
 * Compiles the given C artifacts (all .c files among them) to wasm bytes exporting `exportNames` and `memory`.
 * `extraFlags` go after the standard flags (an instrumented build adds -DSNV2C_PROFILE).
 */
export function buildWasm(sources: readonly Artifact[], exportNames: readonly string[], extraFlags: readonly string[] = []): Uint8Array {
  const cc = wasmCompiler();
  const dir = mkdtempSync(join(tmpdir(), 'snv2c-wasm-'));
  try {
    for (const a of sources) writeFileSync(join(dir, a.path), a.contents);
    const cFiles = sources.filter((a) => a.path.endsWith('.c')).map((a) => a.path);
    const args = [...WASM_CFLAGS, ...extraFlags, '-Wl,--no-entry', '-Wl,-z,stack-size=1048576', ...exportNames.map((n) => `-Wl,--export=${n}`), '-o', 'model.wasm', ...cFiles];
    const result = spawnSync(cc, args, { cwd: dir, encoding: 'utf8' });
    if (result.error) throw new CompileError(`wasm target: cannot run ${JSON.stringify(cc)} (${result.error.message}); install clang and lld (Debian: apt-get install clang lld)`, { kind: 'io' });
    if (result.status !== 0) {
      const err = result.stderr || '';
      const hint = /wasm-ld|lld/.test(err) && /not found|No such file|unable to execute/i.test(err) ? ' (the wasm linker is missing: apt-get install lld)' : '';
      throw new CompileError(`wasm target: clang failed${hint}: ${err.split('\n').slice(0, 6).join(' | ')}`);
    }
    return readFileSync(join(dir, 'model.wasm'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
