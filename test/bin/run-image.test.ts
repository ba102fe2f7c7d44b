// `snv2c run model --input photo.png|jpg` as users run it: the logits and the named top-5 must be PyTorch's
// (torchvision's preprocessing + the x0.5 fixture model, names from torchvision's metadata: see
// fixtures/generate_images.py). Labels files, JSON output and broken pictures are checked too.

import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readNpy } from '../../runtime/npy.ts';
import { oneLineFailure, ROOT, snv2c } from '../support/cli.ts';

const FIXTURES = join(ROOT, 'fixtures');
const fixture = (p: string) => join(FIXTURES, p);
interface LogitEntry { file: string; output: string; top5: number[]; top5_names: string[] }
const manifest = JSON.parse(readFileSync(fixture('images/manifest.json'), 'utf8')) as {
  model: { spec: string; weights: string };
  images: (LogitEntry | { file: string; output?: undefined })[];
};
const withLogits = manifest.images.filter((e): e is LogitEntry => e.output !== undefined);
const png = withLogits.find((e) => e.file.endsWith('.png'))!;
const jpeg = withLogits.find((e) => e.file.endsWith('.jpg'))!;
const model = [fixture(manifest.model.spec), '--weights', fixture(manifest.model.weights)];

interface JsonRows { rows: { index: number; label?: string; logit: number; probability: number }[][] }

describe('snv2c run on pictures', function () {
  this.timeout(120000);
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'snv2c-run-image-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it(`${png.file}: every logit matches PyTorch within 1e-4 (--output)`, () => {
    const out = join(dir, 'png.npy');
    const r = snv2c('run', ...model, '--input', fixture(png.file), '--output', out);
    expect(r.code, r.stderr).to.equal(0);
    const ours = readNpy(readFileSync(out)).data;
    const golden = readNpy(readFileSync(fixture(png.output))).data;
    expect(ours.reduce((m, x, i) => Math.max(m, Math.abs(x - golden[i])), 0)).to.be.at.most(1e-4);
  });

  it(`${png.file}: prints the top-5 with torchvision's ImageNet names`, () => {
    const r = snv2c('run', ...model, '--input', fixture(png.file));
    expect(r.code, r.stderr).to.equal(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).to.equal('row 0:');
    expect(lines.slice(1)).to.have.length(5);
    lines.slice(1).forEach((line, i) => {
      expect(line).to.match(new RegExp(`^  ${i + 1}\\. ${png.top5[i]} ${png.top5_names[i]} +-?\\d+\\.\\d{4}  \\(p 0\\.\\d{4}\\)$`));
    });
  });

  it(`${jpeg.file} --json: the same top-5 as PyTorch, logits within the JPEG decoders' difference`, () => {
    const r = snv2c('run', ...model, '--input', fixture(jpeg.file), '--json');
    expect(r.code, r.stderr).to.equal(0);
    const [row] = (JSON.parse(r.stdout) as JsonRows).rows;
    expect(row.map((c) => c.index)).to.deep.equal(jpeg.top5);
    expect(row.map((c) => c.label)).to.deep.equal(jpeg.top5_names);
    const golden = readNpy(readFileSync(fixture(jpeg.output))).data;
    // jpeg-js's IDCT vs libjpeg's: 0.15 grey levels on average (decode-image.test.ts); this random-weight model
    // amplifies it to 0.105 on the logits (0.22 with jpeg-js's own chroma upsampling and colour conversion).
    for (const c of row) expect(Math.abs(c.logit - golden[c.index])).to.be.at.most(0.15);
    expect(row.reduce((s, c) => s + c.probability, 0)).to.be.within(0, 1);
  });

  it('--labels names the classes of any model; a wrong count is a one-line error', () => {
    const labels = join(dir, 'labels.txt');
    writeFileSync(labels, Array.from({ length: 10 }, (_, i) => `class number ${i}`).join('\n') + '\n');
    const r = snv2c('run', fixture('tv_tiny_o13_bn/model.onnx'), '--input', fixture('images/grey.jpg'), '--labels', labels, '--top', '3', '--json');
    expect(r.code, r.stderr).to.equal(0);
    const [row] = (JSON.parse(r.stdout) as JsonRows).rows;
    expect(row).to.have.length(3);
    for (const c of row) expect(c.label).to.equal(`class number ${c.index}`);
    writeFileSync(labels, 'only\ntwo\n');
    expect(oneLineFailure(snv2c('run', fixture('tv_tiny_o13_bn/model.onnx'), '--input', fixture('images/grey.jpg'), '--labels', labels))).to.match(/holds 2 labels but the model has 10 classes/);
  });

  it('a model with other than 1000 classes and no labels prints indices', () => {
    const r = snv2c('run', fixture('tv_tiny_o13_bn/model.onnx'), '--input', fixture('images/palette.png'));
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/^row 0: \d+ \(-?\d+\.\d{4}\)(, \d+ \(-?\d+\.\d{4}\)){4}\n$/);
  });

  it('a truncated picture: one-line error, exit 1, no output file (each bad file: decode-image.test.ts)', () => {
    const out = join(dir, 'never.npy');
    const line = oneLineFailure(snv2c('run', fixture('tv_tiny_o13_bn/model.onnx'), '--input', fixture('images/truncated.jpg'), '--output', out));
    expect(line).to.contain('images/truncated.jpg');
    expect(() => readFileSync(out)).to.throw();
  });
});
