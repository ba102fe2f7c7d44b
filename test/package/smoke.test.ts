// The package as a new user gets it: `npm pack`, then `npm install ./snv2c-*.tgz` in an empty project with no
// TypeScript tooling, then the CLI and a plain-Node `import { compile } from 'snv2c'`. Installs the dependencies
// from the npm cache or registry (the same ones `npm ci` fetched), so it needs no more network than CI has.

import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { manifest, REPO, scratchDir } from '../targets/c/support.ts';

const fixture = manifest.fixtures.find((f) => f.name === 'tv_tiny_o13_bn')!;
const model = join(REPO, 'fixtures', fixture.files.model);
const input = join(REPO, 'fixtures', fixture.files.input);
const output = join(REPO, 'fixtures', fixture.files.output);

function sh(cmd: string, args: string[], cwd: string) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' }, timeout: 300_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('package: packed, installed in an empty project, used from plain Node', function () {
  this.timeout(600_000);
  const root = scratchDir('package');
  const project = join(root, 'project');
  after(() => rmSync(root, { recursive: true, force: true }));

  before(() => {
    mkdirSync(project, { recursive: true });
    const pack = sh('npm', ['pack', '--pack-destination', root], REPO);
    expect(pack.code, pack.stderr).to.equal(0);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'user-project', private: true, type: 'module' }));
    const tarball = join(root, readdirSync(root).find((f) => f.endsWith('.tgz'))!);
    const install = sh('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], project);
    expect(install.code, install.stderr).to.equal(0);
  });

  it('packs under 2 MB without fixtures, tests, benches or TypeScript sources', () => {
    const tarball = readdirSync(root).find((f) => f.endsWith('.tgz'))!;
    expect(statSync(join(root, tarball)).size).to.be.below(2 * 1024 * 1024);
    const list = sh('tar', ['-tzf', join(root, tarball)], root);
    const files = list.stdout.trim().split('\n');
    expect(files).to.include.members(['package/dist/api/index.js', 'package/dist/api/index.d.ts', 'package/bin/snv2c.mjs', 'package/dist/runtime/index.js', 'package/dist/plugin/index.js', 'package/plugin/client.d.ts']);
    expect(files.filter((f) => /^package\/(fixtures|test|bench|scripts)\//.test(f) || (f.endsWith('.ts') && !f.endsWith('.d.ts')))).to.deep.equal([]);
  });

  it('installs, and the CLI runs compiled JavaScript without tsx', () => {
    expect(readdirSync(join(project, 'node_modules'))).not.to.include('tsx');
    const help = sh('npx', ['snv2c', '--help'], project);
    expect(help.code, help.stderr).to.equal(0);
    expect(help.stdout).to.include('snv2c compile <model>');
    const run = sh('npx', ['snv2c', 'run', model, '--input', input], project);
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.match(/^row 0: \d+ \(/);
  });

  it('a plain .mjs compiles with the library, writes the artifacts and runs the emitted .js module: matches PyTorch', () => {
    writeFileSync(
      join(project, 'use.mjs'),
      [
        "import { compile, analyze, writeArtifacts, targetNames, CompileError } from 'snv2c';",
        "import { readNpy } from 'snv2c/runtime';",
        "import snv2cPlugin from 'snv2c/plugin';",
        "import { readFileSync } from 'node:fs';",
        `const model = ${JSON.stringify(model)};`,
        "const result = await compile(model, { target: 'wasm', name: 'net' });",
        "await writeArtifacts('out', result.artifacts);",
        "const { createModel } = await import('./out/net.js');",
        "const net = await createModel();",
        `const logits = await net.run(readNpy(readFileSync(${JSON.stringify(input)})).data);`,
        "net.dispose();",
        `const golden = readNpy(readFileSync(${JSON.stringify(output)})).data;`,
        "const diff = Math.max(...golden.map((g, i) => Math.abs(g - logits[i])));",
        "const moved = (await analyze(model)).report.after.totals.movedBytes;",
        "let kind = 'none';",
        "try { await compile(model, { target: 'fortran' }); } catch (e) { kind = e instanceof CompileError ? e.kind : 'other'; }",
        "const adapters = ['esbuild', 'vite', 'rollup', 'webpack'].filter((b) => typeof snv2cPlugin[b] === 'function');",
        "console.log(JSON.stringify({ targets: targetNames(), files: result.artifacts.map((a) => a.path), diff, moved, kind, adapters }));",
      ].join('\n'),
    );
    const r = sh('node', ['use.mjs'], project);
    expect(r.code, r.stderr).to.equal(0);
    const got = JSON.parse(r.stdout);
    expect(got.targets).to.include.members(['c', 'neon', 'wasm', 'wgsl']);
    expect(got.files).to.include.members(['net.js', 'net.d.ts', 'net.wasm']);
    expect(got.diff).to.be.at.most(manifest.tolerance.abs);
    expect(got.moved).to.equal(0);
    expect(got.kind).to.equal('invalid-input');
    expect(got.adapters, 'snv2c/plugin adapters').to.deep.equal(['esbuild', 'vite', 'rollup', 'webpack']);
  });

  it('the installed CLI compiles and runs C with the system compiler', () => {
    const run = sh('npx', ['snv2c', 'run', model, '--input', input, '--target', 'c'], project);
    expect(run.code, run.stderr).to.equal(0);
    const reference = sh('npx', ['snv2c', 'run', model, '--input', input], project);
    const classes = (s: string) => [...s.matchAll(/(\d+) \(/g)].map((m) => m[1]);
    expect(classes(run.stdout)).to.deep.equal(classes(reference.stdout));
    // A picture in, ImageNet names out (torchvision's preprocessing; a 1000-class built-in with seeded weights).
    const picture = sh('npx', ['snv2c', 'run', 'shufflenet_v2_x0_5', '--input', join(REPO, 'fixtures', 'images', 'photo_rgb.png'), '--target', 'c'], project);
    expect(picture.code, picture.stderr).to.equal(0);
    expect(picture.stdout).to.match(/^\s+1\. \d+ [a-z][a-z -]+ /m);
  });
});
