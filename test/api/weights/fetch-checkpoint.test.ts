// `snv2c weights fetch` against a local HTTP server on 127.0.0.1 (never the internet): a good file is cached
// and served from the cache afterwards; a corrupt, missing or cut download is refused and leaves nothing behind.

import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompileError } from '../../../compiler/ir/errors.ts';
import { fetchCheckpoint } from '../../../api/weights/fetch-checkpoint.ts';
import { hashPrefixOf, TORCHVISION_CHECKPOINTS } from '../../../api/weights/torchvision-checkpoints.ts';
import { oneLineFailure, snv2cAsync } from '../../support/cli.ts';

/** Bytes whose sha256 starts with the 10 hex digits a made-up checkpoint name then carries. */
const GOOD = Buffer.from('pretend checkpoint bytes '.repeat(4000));
const GOOD_NAME = `test_model-${createHash('sha256').update(GOOD).digest('hex').slice(0, 10)}.pth`;
const TABLE = { test_model: GOOD_NAME, missing_model: 'gone-0123456789.pth' };

describe('weights fetch (local server)', function () {
  this.timeout(60000);
  let server: Server;
  let baseUrl: string;
  let dir: string;
  const served = new Map<string, Buffer>();
  const requests: string[] = [];

  before(async () => {
    served.set(`/${GOOD_NAME}`, GOOD);
    // Torchvision's real file names with the wrong bytes: what a corrupted mirror or proxy would hand out.
    for (const file of Object.values(TORCHVISION_CHECKPOINTS)) served.set(`/${file}`, Buffer.from('not the checkpoint'));
    server = createServer((req, res) => {
      requests.push(req.url ?? '');
      const body = served.get(req.url ?? '');
      if (!body) return void res.writeHead(404).end('not found');
      res.writeHead(200, { 'content-length': body.length }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  after(() => server.close());
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'snv2c-fetch-'));
    requests.length = 0;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const cache = () => join(dir, 'cache');
  const cachedFiles = () => (existsSync(join(cache(), 'weights')) ? readdirSync(join(cache(), 'weights')) : []);

  it("reads the hash prefix from torchvision's file names as torch.hub does", () => {
    expect(hashPrefixOf(TORCHVISION_CHECKPOINTS.shufflenet_v2_x0_5)).to.equal('f707e7126e');
    expect(hashPrefixOf(TORCHVISION_CHECKPOINTS.shufflenet_v2_x1_0)).to.equal('5666bf0f80');
    expect(hashPrefixOf(TORCHVISION_CHECKPOINTS.shufflenet_v2_x1_5)).to.equal('3c479a10');
    expect(hashPrefixOf(TORCHVISION_CHECKPOINTS.shufflenet_v2_x2_0)).to.equal('8be3c8ee');
  });

  it('downloads a file whose sha256 matches, caches it, and serves later calls from the cache', async () => {
    const path = await fetchCheckpoint('test_model', { cacheDir: cache(), baseUrl, checkpoints: TABLE });
    expect(path).to.equal(join(cache(), 'weights', GOOD_NAME));
    expect(readFileSync(path).equals(GOOD)).to.equal(true);
    expect(requests).to.deep.equal([`/${GOOD_NAME}`]);
    const again = await fetchCheckpoint('test_model', { cacheDir: cache(), baseUrl, checkpoints: TABLE, outDir: join(dir, 'out') });
    expect(requests).to.have.length(1); // no second download
    expect(again).to.equal(join(dir, 'out', GOOD_NAME));
    expect(readFileSync(again).equals(GOOD)).to.equal(true);
    expect(cachedFiles()).to.deep.equal([GOOD_NAME]); // no temporary file left
  });

  it('re-downloads a cached file that no longer matches its hash', async () => {
    await fetchCheckpoint('test_model', { cacheDir: cache(), baseUrl, checkpoints: TABLE });
    writeFileSync(join(cache(), 'weights', GOOD_NAME), 'damaged on disk');
    const path = await fetchCheckpoint('test_model', { cacheDir: cache(), baseUrl, checkpoints: TABLE });
    expect(readFileSync(path).equals(GOOD)).to.equal(true);
    expect(requests).to.have.length(2);
  });

  it('refuses a corrupt download and keeps nothing (library)', async () => {
    const error = await fetchCheckpoint('shufflenet_v2_x1_0', { cacheDir: cache(), baseUrl, outDir: join(dir, 'out') }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(CompileError);
    expect((error as CompileError).message).to.match(/corrupt download refused.*5666bf0f80/);
    expect((error as CompileError).message).to.not.contain('\n');
    expect(cachedFiles()).to.deep.equal([]);
    expect(existsSync(join(dir, 'out'))).to.equal(false);
  });

  it('reports an HTTP error without caching anything', async () => {
    const error = await fetchCheckpoint('missing_model', { cacheDir: cache(), baseUrl, checkpoints: TABLE }).catch((e: unknown) => e);
    expect((error as CompileError).message).to.match(/HTTP 404/);
    expect((error as CompileError).kind).to.equal('io');
    expect(cachedFiles()).to.deep.equal([]);
  });

  it('CLI: a corrupt download is one line on stderr, exit 1, nothing cached (base URL from $SNV2C_WEIGHTS_URL)', async () => {
    const r = await snv2cAsync({ SNV2C_CACHE_DIR: cache(), SNV2C_WEIGHTS_URL: baseUrl }, 'weights', 'fetch', 'shufflenet_v2_x0_5', '-o', join(dir, 'out'));
    expect(r.code, r.stderr).to.equal(1);
    expect(r.stdout).to.equal('');
    const lines = r.stderr.trim().split('\n');
    expect(lines[lines.length - 1]).to.match(/^snv2c: .*corrupt download refused.*f707e7126e/);
    expect(requests).to.deep.equal(['/shufflenetv2_x0.5-f707e7126e.pth']);
    expect(cachedFiles()).to.deep.equal([]);
    expect(existsSync(join(dir, 'out'))).to.equal(false);
  });

  it('CLI: an unknown model is a one-line usage error naming the choices', async () => {
    const line = oneLineFailure(await snv2cAsync({ SNV2C_CACHE_DIR: cache(), SNV2C_WEIGHTS_URL: baseUrl }, 'weights', 'fetch', 'shufflenet_v2_x3_0'));
    expect(line).to.contain('shufflenet_v2_x1_0');
    expect(requests).to.deep.equal([]);
  });

  it('CLI: an unreachable server is a one-line error', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const line = oneLineFailure(await snv2cAsync({ SNV2C_CACHE_DIR: cache() }, 'weights', 'fetch', 'shufflenet_v2_x2_0', '--base-url', `http://127.0.0.1:${port}/`));
    expect(line).to.match(/cannot download .*ECONNREFUSED/);
    expect(cachedFiles()).to.deep.equal([]);
  });
});
