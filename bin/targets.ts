// Targets `snv2c compile` can emit, by name. Each entry loads its implementation lazily, so the CLI never pulls in
// a backend it does not use. A target adds itself with one line in TARGETS.

import type { Target } from '../compiler/target.ts';
import { lazyRegistry } from './lazy-registry.ts';

const TARGETS = lazyRegistry<Target>({
  c: { description: 'portable C99 with a static arena', load: () => import('../targets/c/c-target.ts').then((m) => m.cTarget) },
  neon: { description: 'C99 with ARM NEON intrinsics (portable fallback)', load: () => import('../targets/c/c-target.ts').then((m) => m.neonTarget) },
  wasm: { description: 'WebAssembly (clang wasm32, SIMD128) plus its C', load: () => import('../targets/wasm/wasm-target.ts').then((m) => m.wasmTarget) },
  wgsl: { description: 'WGSL compute shaders plus a WebGPU runtime (browsers, Node via Dawn)', load: () => import('../targets/wgsl/wgsl-target.ts').then((m) => m.wgslTarget) },
});

export const targetNames = (): string[] => TARGETS.names();

export const loadTarget = (name: string): Promise<Target> => TARGETS.load(name);
