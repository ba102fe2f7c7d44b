// Before compiling anything: can this machine run the target at all? Each failure is one line naming what to
// install, instead of a compiler error halfway through a benchmark.

import { spawnSync } from 'node:child_process';
import { cannotRunHere } from '../api/target-unavailable.ts';
import { CompileError } from '../compiler/ir/errors.ts';

const runs = (command: string, args: readonly string[] = ['--version']): boolean => {
  const r = spawnSync(command, args, { stdio: 'ignore' });
  return !r.error && r.status === 0;
};

const missing = (target: string, what: string, install: string) => cannotRunHere(target, `${what}; install it (${install})`);

export const isArmHost = (): boolean => process.arch === 'arm64';

/** Throws a one-line CompileError when `target`'s toolchain is absent; WebGPU adapters are checked when the model loads. */
export function checkTargetRunnable(target: string): void {
  switch (target) {
    case 'c': {
      const cc = process.env.CC || 'cc';
      if (!runs(cc)) throw missing(target, `no C compiler (${cc})`, 'Debian: apt-get install gcc, or set CC');
      return;
    }
    case 'neon':
      if (isArmHost()) return checkTargetRunnable('c');
      if (!runs('aarch64-linux-gnu-gcc')) throw missing(target, 'no aarch64 cross compiler (aarch64-linux-gnu-gcc)', 'Debian: apt-get install gcc-aarch64-linux-gnu libc6-dev-arm64-cross');
      if (!runs('qemu-aarch64')) throw missing(target, 'no aarch64 emulator (qemu-aarch64)', 'Debian: apt-get install qemu-user');
      return;
    case 'wasm': {
      const cc = process.env.SNV2C_WASM_CC || 'clang';
      if (!runs(cc)) throw missing(target, `no clang (${cc})`, 'Debian: apt-get install clang lld');
      if (!runs('wasm-ld')) throw missing(target, 'no wasm linker (wasm-ld)', 'Debian: apt-get install lld');
      return;
    }
    case 'wgsl':
      return;
    default:
      throw new CompileError(`target ${target} has no benchmark; benchmarkable targets: c, neon, wasm, wgsl`, { kind: 'invalid-input' });
  }
}

/** Why times of `target` mean nothing on this host, if they do not. */
export function timingCaveat(target: string): string | undefined {
  if (target === 'neon' && !isArmHost()) {
    return `neon runs under qemu-aarch64 on this ${process.arch} host: its times are not meaningful (emulation is ~150-190x slower); they only show that it runs`;
  }
  return undefined;
}
