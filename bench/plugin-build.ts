// Cold and warm builds with snv2c/plugin: the page of the plugin tests (tiny fixture imported for wasm and wgsl),
// built by esbuild and by Vite, first with an empty cache (the models compile), then again with a fresh plugin
// instance on the same cache (nothing compiles). Prints each time and warm/cold; ratios, not ms, compare runs.
//   npx tsx bench/plugin-build.ts [model.onnx]      (default: fixtures/tv_tiny_o13_bn/model.onnx)

import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildWithEsbuild, buildWithVite, pageProject } from '../test/plugin/support.ts';

const project = pageProject('bench');
if (process.argv[2]) copyFileSync(process.argv[2], join(project, 'src', 'tiny.onnx'));
const ms = (t: number) => `${t.toFixed(0)} ms`;

try {
  for (const [bundler, build] of [['esbuild', buildWithEsbuild], ['Vite', buildWithVite]] as const) {
    const cacheDir = join(project, `cache-${bundler}`);
    const times: number[] = [];
    for (const pass of ['cold', 'warm']) {
      const log: string[] = [];
      const started = performance.now();
      await build(project, { cacheDir, log: (line) => log.push(line) });
      times.push(performance.now() - started);
      console.log(`${bundler} ${pass}: ${ms(times.at(-1)!)} (${log.join('; ')})`);
    }
    console.log(`${bundler} warm/cold: ${(times[1] / times[0]).toFixed(4)}`);
  }
} finally {
  rmSync(project, { recursive: true, force: true });
}
