// The targets snv2c can emit, by name. Each entry loads its implementation lazily, so the library never pulls in
// a backend it does not use. A target adds itself with one line in TARGETS.

import type { Target } from '../compiler/target.ts';
import { lazyRegistry } from './lazy-registry.ts';

const TARGETS = {
  c: { description: 'portable C99 with a static arena (AVX2/AVX-512 paths with -march=native)', load: () => import('../targets/c/c-target.ts').then((m) => m.cTarget) },
  neon: { description: 'C99 with ARM NEON intrinsics (portable fallback; qemu-aarch64 on other hosts)', load: () => import('../targets/c/c-target.ts').then((m) => m.neonTarget) },
  wasm: { description: 'WebAssembly (clang wasm32, SIMD128) plus its C', load: () => import('../targets/wasm/wasm-target.ts').then((m) => m.wasmTarget) },
  wgsl: { description: 'WGSL compute shaders plus a WebGPU runtime (browsers, Node via Dawn)', load: () => import('../targets/wgsl/wgsl-target.ts').then((m) => m.wgslTarget) },
} as const;

const REGISTRY = lazyRegistry<Target>(TARGETS);

/** Target name -> one-line description. */
export const TARGET_DESCRIPTIONS: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(TARGETS).map(([n, t]) => [n, t.description]));

/** The names `compile` accepts as `target`. */
export const targetNames = (): string[] => REGISTRY.names();

/** The target named `name`; an unknown name is a CompileError listing the valid ones. */
export const loadTarget = (name: string): Promise<Target> => REGISTRY.load(name);
