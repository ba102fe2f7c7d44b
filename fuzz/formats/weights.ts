// Checkpoints: torch.save zip archives (.pth) and .safetensors. Structure-aware: a .pth is unpacked, one entry
// changed (pickle opcodes and globals in data.pkl, a tensor's bytes, an entry's name) and re-packed with correct
// CRCs, or its zip records damaged directly; a .safetensors header is re-written with changed shapes, dtypes and
// offsets. The consumer loads the weights and builds the spec model they belong to, as `--weights` does.

import { readFileSync } from 'node:fs';
import { analyzeGraph } from '../../api/compile.ts';
import { loadGraph } from '../../api/model-source.ts';
import { readZip } from '../../compiler/frontend/weights/zip-reader.ts';
import { FIXTURES, type FuzzFormat, type FuzzInput } from '../format.ts';
import { concat, mutateBytes } from '../mutate-bytes.ts';
import type { Random } from '../random.ts';
import { writeStoredZip } from '../zip-writer.ts';

const read = (path: string) => new Uint8Array(readFileSync(new URL(path, FIXTURES)));
const SPEC = JSON.parse(new TextDecoder().decode(read('weights/tiny/spec.json')));
const PTH = [read('weights/tiny/state_dict.pth'), read('weights/tiny/state_dict_f16.pth')];
const SAFETENSORS = read('weights/tiny/state_dict.safetensors');

// Globals a hostile pickle reaches for; the unpickler must refuse each by name.
const DANGEROUS = ['builtins\neval', 'builtins\ngetattr', 'os\nsystem', 'subprocess\nPopen', 'torch\nload', 'builtins\n__import__', 'posix\nsystem', 'collections\nOrderedDict'];
// Protocol-2 opcodes torch's pickles use, and a few they never do.
const OPCODES = '(.0125FGIJKLMNPQRSTVX]abcdeghijklmnopqrstu}\x80\x81\x85\x86\x87\x88\x89\x8a\x8b\x8c\x94\x95';

function mutatePickle(pickle: Uint8Array, r: Random): [Uint8Array, string] {
  const text = Buffer.from(pickle).toString('latin1');
  const globals = [...text.matchAll(/c([A-Za-z_.]+)\n([A-Za-z_.]+)\n/g)];
  if (globals.length && r.chance(0.35)) {
    const g = r.pick(globals);
    const replaced = text.slice(0, g.index) + `c${r.pick(DANGEROUS)}\n` + text.slice(g.index! + g[0].length);
    return [new Uint8Array(Buffer.from(replaced, 'latin1')), 'pickle global'];
  }
  const out = new Uint8Array(pickle);
  const at = r.int(out.length);
  if (r.chance(0.5)) {
    out[at] = OPCODES.charCodeAt(r.int(OPCODES.length));
    return [out, 'pickle opcode'];
  }
  return [mutateBytes(out, r), 'pickle bytes'];
}

function mutatePth(r: Random): FuzzInput {
  const seed = r.pick(PTH);
  if (r.chance(0.25)) return { bytes: mutateBytes(seed, r), mutation: 'zip bytes' };
  const entries = [...readZip(seed, 'seed.pth').values()].map((e): { name: string; data: Uint8Array } => ({ name: e.name, data: new Uint8Array(e.data) }));
  const pickle = entries.find((e) => e.name.endsWith('data.pkl'))!;
  let mutation: string;
  const choice = r.int(4);
  if (choice <= 1) [pickle.data, mutation] = mutatePickle(pickle.data, r);
  else if (choice === 2) {
    const tensor = r.pick(entries.filter((e) => /\/data\/\d+$/.test(e.name)));
    tensor.data = r.chance(0.5) ? tensor.data.subarray(0, r.int(tensor.data.length)) : mutateBytes(tensor.data, r);
    mutation = 'tensor storage';
  } else {
    const e = r.pick(entries);
    e.name = r.pick(['', '../evil', 'archive/data.pkl', e.name + '/x', 'a'.repeat(300)]);
    mutation = 'entry name';
  }
  return { bytes: writeStoredZip(entries), mutation };
}

const INTS = [0, 1, -1, 3, 1e9, 2 ** 53, -(2 ** 31), 0.5];

function mutateSafetensors(r: Random): FuzzInput {
  const view = new DataView(SAFETENSORS.buffer, SAFETENSORS.byteOffset);
  const headerLength = Number(view.getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(SAFETENSORS.subarray(8, 8 + headerLength))) as Record<string, { dtype: string; shape: number[]; data_offsets: number[] }>;
  const body = SAFETENSORS.subarray(8 + headerLength);
  const keys = Object.keys(header).filter((k) => k !== '__metadata__');
  const t = header[r.pick(keys)];
  const choice = r.int(5);
  if (choice === 0 && t.shape.length) t.shape[r.int(t.shape.length)] = r.pick(INTS);
  else if (choice === 1) t.dtype = r.pick(['F16', 'BF16', 'F64', 'I64', 'U8', 'BOOL', 'F8_E4M3', 'nope', '']);
  else if (choice === 2) t.data_offsets[r.int(2)] = r.pick(INTS);
  else if (choice === 3) (header as Record<string, unknown>)[r.pick(keys)] = r.pick([null, 1, 'x', [], { dtype: 'F32' }]);
  else return { bytes: mutateBytes(SAFETENSORS, r), mutation: 'bytes' };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const length = new Uint8Array(8);
  new DataView(length.buffer).setBigUint64(0, BigInt(json.length), true);
  return { bytes: concat(length, json, body), mutation: `header ${['shape', 'dtype', 'offsets', 'entry'][choice]}` };
}

async function consume(file: string, { bytes }: FuzzInput): Promise<void> {
  const quiet = { warn: () => {}, log: () => {} };
  const graph = await loadGraph(SPEC, { file: 'spec.json', weights: bytes, weightsFile: file, ...quiet });
  await analyzeGraph(graph, quiet);
}

export const pthFormat: FuzzFormat = { name: 'pth', generate: mutatePth, consume: (input) => consume('fuzz.pth', input) };
export const safetensorsFormat: FuzzFormat = { name: 'safetensors', generate: mutateSafetensors, consume: (input) => consume('fuzz.safetensors', input) };
