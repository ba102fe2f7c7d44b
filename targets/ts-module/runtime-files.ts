// Copies the runtime sources an emitted `<name>.ts` imports into `<dir>/snv2c-runtime/`, so the compiled model
// folder runs without the compiler installed.

import { readFileSync } from 'node:fs';
import type { Artifact } from '../../compiler/target.ts';
import { RUNTIME_DIR } from './emit-ts-module.ts';

export function runtimeArtifacts(files: readonly string[]): Artifact[] {
  return [...new Set(['model-api.ts', ...files])].sort().map((file) => ({
    path: `${RUNTIME_DIR}/${file}`,
    contents: readFileSync(new URL(`../../runtime/${file}`, import.meta.url), 'utf8'),
  }));
}
