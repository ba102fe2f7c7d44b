// Targets `snv2c compile` can emit, by name. Each entry loads its implementation lazily, so the CLI never pulls in
// a backend it does not use. A target adds itself with one line in TARGETS.

import { CompileError } from '../compiler/ir/errors.ts';
import type { Target } from '../compiler/target.ts';

interface TargetEntry {
  readonly description: string;
  readonly load: () => Promise<Target>;
}

const TARGETS: Readonly<Record<string, TargetEntry>> = {
  c: { description: 'portable C99 with a static arena', load: () => import('../targets/c/c-target.ts').then((m) => m.cTarget) },
  neon: { description: 'C99 with ARM NEON intrinsics (portable fallback)', load: () => import('../targets/c/c-target.ts').then((m) => m.neonTarget) },
  wasm: { description: 'WebAssembly (clang wasm32, SIMD128) plus its C', load: () => import('../targets/wasm/wasm-target.ts').then((m) => m.wasmTarget) },
  wgsl: { description: 'WGSL compute shaders plus a WebGPU runtime (browsers, Node via Dawn)', load: () => import('../targets/wgsl/wgsl-target.ts').then((m) => m.wgslTarget) },
};

export function targetNames(): string[] {
  return Object.keys(TARGETS);
}

export async function loadTarget(name: string): Promise<Target> {
  const entry = Object.hasOwn(TARGETS, name) ? TARGETS[name] : undefined;
  if (!entry) {
    const list = Object.entries(TARGETS).map(([n, e]) => `${n} (${e.description})`).join(', ');
    throw new CompileError(`unknown target ${JSON.stringify(name.slice(0, 40))}; available: ${list}`);
  }
  return entry.load();
}
