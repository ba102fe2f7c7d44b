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
  });

  it('packs under 2 MB without fixtures, tests, benches or TypeScript sources', () => {
    const tarball = readdirSync(root).find((f) => f.endsWith('.tgz'))!;
    expect(statSync(join(root, tarball)).size).to.be.below(2 * 1024 * 1024);
    const list = sh('tar', ['-tzf', join(root, tarball)], root);
    const files = list.stdout.trim().split('\n');
    expect(files).to.include.members(['package/dist/api/index.js', 'package/dist/api/index.d.ts', 'package/bin/snv2c.mjs', 'package/dist/runtime/index.js']);
    expect(files.filter((f) => /^package\/(fixtures|test|bench|scripts)\//.test(f) || (f.endsWith('.ts') && !f.endsWith('.d.ts')))).to.deep.equal([]);
  });

  it('installs, and the CLI runs compiled JavaScript without tsx', () => {
    const tarball = join(root, readdirSync(root).find((f) => f.endsWith('.tgz'))!);
    const install = sh('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], project);
    expect(install.code, install.stderr).to.equal(0);
    expect(readdirSync(join(project, 'node_modules'))).not.to.include('tsx');
    const help = sh('npx', ['snv2c', '--help'], project);
    expect(help.code, help.stderr).to.equal(0);
    expect(help.stdout).to.include('snv2c compile <model>');
    const run = sh('npx', ['snv2c', 'run', model, '--input', input], project);
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.match(/^row 0: \d+ \(/);
  });
});
