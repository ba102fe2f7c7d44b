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

/** Compiles the given C artifacts (all .c files among them) to wasm bytes exporting `exportNames` and `memory`. */
export function buildWasm(sources: readonly Artifact[], exportNames: readonly string[], options: WasmBuildOptions = {}): Uint8Array {
  const cc = wasmCompiler();
  const dir = mkdtempSync(join(tmpdir(), 'snv2c-wasm-'));
  try {
    for (const a of sources) writeFileSync(join(dir, a.path), a.contents);
    const cFiles = sources.filter((a) => a.path.endsWith('.c')).map((a) => a.path);
    const args = [
      ...WASM_CFLAGS, ...(options.relaxed ? ['-mrelaxed-simd'] : []), ...(options.extraFlags ?? []),
      '-Wl,--no-entry', '-Wl,-z,stack-size=1048576', ...exportNames.map((n) => `-Wl,--export=${n}`), '-o', 'model.wasm', ...cFiles,
    ];
    const result = spawnSync(cc, args, { cwd: dir, encoding: 'utf8' });
    if (result.error) throw new CompileError(`wasm target: cannot run ${JSON.stringify(cc)} (${result.error.message}); install clang and lld (Debian: apt-get install clang lld)`, { kind: 'io' });
    if (result.status !== 0) {
      const err = result.stderr || '';
      const hint = /wasm-ld|lld/.test(err) && /not found|No such file|unable to execute/i.test(err) ? ' (the wasm linker is missing: apt-get install lld)' : '';
      throw new CompileError(`wasm target: clang failed${hint}: ${err.split('\n').slice(0, 6).join(' | ')}`);
    }
    const wasm = new Uint8Array(readFileSync(join(dir, 'model.wasm')));
    if (options.relaxed) renumberRelaxedOpcodes(wasm);
    return wasm;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
