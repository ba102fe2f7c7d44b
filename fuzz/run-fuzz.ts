// `npm run fuzz -- --iterations N --seed S [--format onnx,pth,...] [--from I] [--json]`: seeded, structure-aware
// fuzzing of every input format (see fuzz/formats/). Exits 1 if any case crashed, hung, ran out of memory or was
// refused with an error that breaks the contract (not one line, internal, or not naming the file).
// Replay one case: `npm run fuzz -- --format onnx --seed 7 --from 1234 --iterations 1`.

import { runCampaign, type CampaignResult } from './campaign.ts';
import { FORMATS } from './formats/index.ts';

function option(name: string, fallback: string): string {
  const args = process.argv.slice(2);
  const at = args.indexOf(`--${name}`);
  return at >= 0 && at + 1 < args.length ? args[at + 1] : fallback;
}

const iterations = Number(option('iterations', '200'));
const seed = Number(option('seed', '1'));
const from = Number(option('from', '0'));
const formats = option('format', Object.keys(FORMATS).filter((f) => f !== 'graph').join(',')).split(',');
const json = process.argv.includes('--json');
for (const f of formats) if (!FORMATS[f]) throw new Error(`unknown format ${f}; known: ${Object.keys(FORMATS).join(', ')}`);
if (!(Number.isInteger(iterations) && iterations > 0 && Number.isInteger(seed) && Number.isInteger(from) && from >= 0)) throw new Error('--iterations, --seed and --from take integers');

const results: CampaignResult[] = [];
for (const format of formats) {
  const tty = process.stderr.isTTY;
  const result = await runCampaign(format, seed, iterations, from, tty ? (n) => process.stderr.write(`\r${format}: ${n}/${iterations}`) : undefined);
  if (tty) process.stderr.write('\r\x1b[K');
  results.push(result);
  if (!json) {
    const c = result.counts;
    console.log(`${format.padEnd(12)} ${iterations} cases in ${result.seconds.toFixed(1)} s: ${c.ok} ok, ${c.refused} refused cleanly, ${c.finding} findings, ${c.hang} hangs, ${c.oom} out of memory`);
    for (const p of result.problems.slice(0, 10)) console.log(`  ${p.kind} at --format ${format} --seed ${seed} --from ${p.iteration} --iterations 1 (${p.mutation}): ${p.message}`);
  }
}
if (json) console.log(JSON.stringify(results, null, 2));
process.exitCode = results.some((r) => r.problems.length > 0) ? 1 : 0;
