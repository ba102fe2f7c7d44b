// Where an emitted module's runtime files come from: the package's compiled runtime when it is there (an
// installed package), else runtime/*.ts emitted on the spot (a source checkout); either way the set is closed
// under imports, type-only ones included.

import { expect } from 'chai';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { emitRuntimeFromSource, runtimeArtifacts } from '../../../targets/ts-module/runtime-files.ts';
import { REPO, scratchDir } from '../c/support.ts';

const RUNTIME = pathToFileURL(join(REPO, 'runtime/'));

const text = (artifacts: ReturnType<typeof runtimeArtifacts>, path: string) => artifacts.find((a) => a.path === path)?.contents as string | undefined;

describe('runtime files of emitted modules', () => {
  const root = scratchDir('runtime-files');
  after(() => rmSync(root, { recursive: true, force: true }));

  it('from source: runtime/*.ts emitted as .js + .d.ts with .js import specifiers, closed under imports', () => {
    const artifacts = runtimeArtifacts(['webgpu-model']);
    const paths = artifacts.map((a) => a.path);
    // webgpu-description is imported by webgpu-model for types only: it is in the declarations, not the code.
    expect(paths).to.include.members(['snv2c-runtime/webgpu-description.d.ts', 'snv2c-runtime/webgpu-weights.js', 'snv2c-runtime/model-api.d.ts']);
    expect(paths).to.not.include('snv2c-runtime/native-model.js');
    expect(text(artifacts, 'snv2c-runtime/webgpu-model.js')).to.match(/from ["']\.\/model-api\.js["']/).and.not.match(/\.ts["']/);
    expect(text(artifacts, 'snv2c-runtime/webgpu-model.d.ts')).to.match(/from ["']\.\/webgpu-description\.js["']/).and.not.match(/\.ts["']/);
  });

  it('from source: declarations keep the types the sources spell out (nothing inferred from lib files turns into any)', () => {
    // The emitter has no lib files (emit-js.ts): an exported type it must infer from, say, WebAssembly comes out
    // as `any`, unlike a tsc build of the package. Count `any` outside comments in each declaration and its source.
    const anys = (code: string) => (code.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '').match(/\bany\b/g) ?? []).length;
    const emitted = emitRuntimeFromSource(RUNTIME, join(root, 'emit-cache'));
    const declarations = [...emitted.keys()].filter((f) => f.endsWith('.d.ts'));
    expect(declarations.length).to.be.above(10);
    for (const file of declarations) {
      const source = readFileSync(new URL(file.replace(/\.d\.ts$/, '.ts'), RUNTIME), 'utf8');
      expect(anys(emitted.get(file)!), file).to.be.at.most(anys(source));
    }
  });

  it('from a built package: the compiled files are copied as they are, following tsc-style `.ts` specifiers too', () => {
    const built = join(root, 'dist-runtime');
    mkdirSync(built, { recursive: true });
    const files: Record<string, string> = {
      'entry.js': "import { helper } from './helper.js';\nexport const entry = helper;\n",
      'entry.d.ts': "import type { Shape } from './shape.ts';\nexport declare const entry: Shape;\n",
      'helper.js': 'export const helper = 1; // built\n',
      'helper.d.ts': 'export declare const helper: number;\n',
      'shape.js': 'export {};\n',
      'shape.d.ts': 'export type Shape = number;\n',
      'unused.js': 'export {};\n',
      'unused.d.ts': 'export {};\n',
      // A source next to a built file must not win over it.
      'helper.ts': 'export const helper = 2; // source\n',
    };
    for (const [name, contents] of Object.entries(files)) writeFileSync(join(built, name), contents);
    const artifacts = runtimeArtifacts(['entry'], pathToFileURL(`${built}/`));
    expect(artifacts.map((a) => a.path)).to.deep.equal(
      ['entry.d.ts', 'entry.js', 'helper.d.ts', 'helper.js', 'shape.d.ts', 'shape.js'].map((f) => `snv2c-runtime/${f}`),
    );
    expect(text(artifacts, 'snv2c-runtime/helper.js')).to.equal(files['helper.js']);
  });
});
