// The emit cache must be invisible except in time: a compile served from it writes the very bytes a fresh emit
// writes, and any change to what the text depends on (a runtime source, the emitting code) misses the entry
// instead of serving stale JavaScript.

import { expect } from 'chai';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cachedEmit } from '../../../targets/ts-module/emit-cache.ts';
import type { EmittedFile } from '../../../targets/ts-module/emit-js.ts';
import { emitRuntimeFromSource } from '../../../targets/ts-module/runtime-files.ts';
import { snv2cWithEnv } from '../../support/cli.ts';
import { manifest, REPO, scratchDir } from '../c/support.ts';

/** Every file under `dir` (relative path -> bytes), for comparing two output folders. */
function folderContents(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(path.slice(dir.length + 1), readFileSync(path).toString('base64'));
  }
  return files;
}

describe('emit cache', function () {
  this.timeout(300_000);
  const root = scratchDir('emit-cache');
  after(() => rmSync(root, { recursive: true, force: true }));

  /** A private copy of runtime/*.ts that a test may edit. */
  function runtimeCopy(tag: string): URL {
    const folder = join(root, tag, 'runtime');
    mkdirSync(folder, { recursive: true });
    for (const file of readdirSync(join(REPO, 'runtime')).filter((f) => f.endsWith('.ts'))) copyFileSync(join(REPO, 'runtime', file), join(folder, file));
    return pathToFileURL(`${folder}/`);
  }

  it('serves a stored entry without emitting, and rejects a damaged one', () => {
    const dir = join(root, 'direct');
    const files: EmittedFile[] = [{ path: 'a.js', text: 'export const a = 1;\n' }];
    let emits = 0;
    const emit = () => (emits++, files);
    const key = { emitters: [], inputs: ['a.ts', 'export const a = 1;'] };
    expect(cachedEmit(key, emit, dir)).to.deep.equal(files);
    expect(cachedEmit(key, emit, dir)).to.deep.equal(files);
    expect(emits, 'second call served from the cache').to.equal(1);
    const entries = readdirSync(dir);
    expect(entries).to.have.length(1);
    writeFileSync(join(dir, entries[0]), '{"format":"snv2c-emitted-js/1","files":[{"path":"a.js"');
    expect(cachedEmit(key, emit, dir)).to.deep.equal(files);
    expect(emits, 'a truncated entry is emitted afresh').to.equal(2);
  });

  it('a change to an emitting module misses the entry', () => {
    const dir = join(root, 'emitter');
    const emitter = join(root, 'emitter-module.ts');
    writeFileSync(emitter, '// version 1\n');
    let emits = 0;
    const key = { emitters: [pathToFileURL(emitter).href], inputs: ['same input'] };
    const emit = () => [{ path: 'x.js', text: `emit ${++emits}\n` }];
    expect(cachedEmit(key, emit, dir)[0].text).to.equal('emit 1\n');
    expect(cachedEmit(key, emit, dir)[0].text).to.equal('emit 1\n');
    writeFileSync(emitter, '// version 2\n');
    expect(cachedEmit(key, emit, dir)[0].text).to.equal('emit 2\n');
  });

  it('the runtime from the cache equals the runtime emitted afresh, and an edited runtime source is emitted again', () => {
    const folder = runtimeCopy('runtime-edit');
    const fresh = emitRuntimeFromSource(folder, join(root, 'runtime-cache-a'));
    const cache = join(root, 'runtime-cache-b');
    emitRuntimeFromSource(folder, cache);
    const cached = emitRuntimeFromSource(folder, cache);
    expect(readdirSync(cache)).to.have.length(1);
    expect([...cached].sort()).to.deep.equal([...fresh].sort());
    expect(cached.get('wasm-model.js')).to.match(/from '\.\/model-api\.js'/);

    writeFileSync(new URL('model-api.ts', folder), `${readFileSync(new URL('model-api.ts', folder), 'utf8')}\nexport const cacheProbe = 41 + 1;\n`);
    const edited = emitRuntimeFromSource(folder, cache);
    expect(edited.get('model-api.js')).to.include('export const cacheProbe = 41 + 1;');
    expect(edited.get('model-api.d.ts')).to.include('cacheProbe');
    expect(fresh.get('model-api.js')).to.not.include('cacheProbe');
    expect(readdirSync(cache)).to.have.length(2);
  });

  it('`snv2c compile` with an empty cache and with a filled one writes byte-identical folders', () => {
    const fixture = manifest.fixtures.find((f) => f.name === 'tv_tiny_o13_bn')!;
    const model = join(REPO, 'fixtures', fixture.files.model);
    const env = { SNV2C_CACHE_DIR: join(root, 'cli-cache') };
    const outputs = ['cold', 'warm'].map((run) => {
      const out = join(root, `cli-${run}`);
      const r = snv2cWithEnv(env, 'compile', model, '--target', 'wgsl', '-o', out, '--name', 'net');
      expect(r.code, r.stderr).to.equal(0);
      return folderContents(out);
    });
    expect(readdirSync(join(env.SNV2C_CACHE_DIR, 'emitted-js')), 'runtime + net.js entries').to.have.length(2);
    expect(outputs[0].size).to.be.above(6);
    expect([...outputs[1]].sort()).to.deep.equal([...outputs[0]].sort());
  });
});
