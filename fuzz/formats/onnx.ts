// ONNX: decode a real ShuffleNetV2 export with onnx-proto, change one field the way a broken exporter or a
// hostile file would (op types, attributes, dims, initializer sizes, names, edges, opset), re-encode, and
// sometimes damage the bytes on top. The consumer imports, runs the passes and the memory plan, emits C and, when
// the model is small, runs the reference interpreter on the imported graph.

import { readFileSync } from 'node:fs';
import onnxProto from 'onnx-proto';
import { compile } from '../../api/compile.ts';
import { runGraph } from '../../compiler/interpreter/run-graph.ts';
import { numel } from '../../compiler/ir/types.ts';
import { FIXTURES, type FuzzFormat, type FuzzInput } from '../format.ts';
import { mutateBytes } from '../mutate-bytes.ts';
import type { Random } from '../random.ts';

const { onnx } = onnxProto;
// Static-shape exports (a dynamic batch needs --input-shape, which would refuse most cases for one reason).
const SEEDS = ['tv_tiny_o17_folded', 'seed_tiny_o17_folded', 'megvii_tiny_o13_bn', 'tv_odd_o15_bn'].map((d) => new Uint8Array(readFileSync(new URL(`${d}/model.onnx`, FIXTURES))));
const OPS = ['Conv', 'Relu', 'Add', 'Mul', 'Reshape', 'Transpose', 'Slice', 'Split', 'Concat', 'Gather', 'MaxPool', 'GlobalAveragePool', 'Gemm', 'MatMul', 'Identity', 'Constant', 'Shape', 'Unsqueeze', 'Squeeze', 'Flatten', 'Pad', 'BatchNormalization', 'Softmax', ''];
const INTS = [0, 1, -1, 2, 3, 7, 1000, -1000, 2 ** 31 - 1, -(2 ** 31), 2 ** 40];
const NAMES = ['', 'a\nb', '\u001b[31mred', '"; system("x"); "', '*/ int x; /*', '../../etc/passwd', 'x'.repeat(5000), '\u0000', '${x}', '`x`'];

type Model = InstanceType<typeof onnx.ModelProto>;
type Mutation = (m: Model, r: Random) => string;

const anyNode = (m: Model, r: Random) => r.pick(m.graph!.node!);

const MUTATIONS: Mutation[] = [
  (m, r) => {
    const n = anyNode(m, r);
    n.opType = r.pick(OPS);
    return `op type -> ${JSON.stringify(n.opType)}`;
  },
  (m, r) => {
    const withAttrs = m.graph!.node!.filter((n) => n.attribute?.length);
    if (!withAttrs.length) return 'no attributes';
    const a = r.pick(r.pick(withAttrs).attribute!);
    if (a.ints?.length) a.ints[r.int(a.ints.length)] = r.pick(INTS);
    else a.i = r.pick(INTS);
    if (r.chance(0.2)) a.type = r.int(16);
    return `attribute ${a.name}`;
  },
  (m, r) => {
    const v = r.pick([...m.graph!.input!, ...m.graph!.output!]);
    const dims = v.type?.tensorType?.shape?.dim;
    if (!dims?.length) return 'no dims';
    const d = dims[r.int(dims.length)];
    if (r.chance(0.3)) {
      d.dimParam = r.pick(['N', '', 'batch']);
      d.dimValue = undefined as never;
    } else d.dimValue = r.pick(INTS);
    return `graph dim of ${v.name}`;
  },
  (m, r) => {
    const t = r.pick(m.graph!.initializer!);
    if (t.dims?.length && r.chance(0.6)) t.dims[r.int(t.dims.length)] = r.pick(INTS);
    else if (t.rawData?.length) t.rawData = t.rawData.subarray(0, r.int(t.rawData.length));
    else t.dataType = r.int(20);
    return `initializer ${t.name}`;
  },
  (m, r) => {
    const n = anyNode(m, r);
    const names = [...m.graph!.node!.flatMap((x) => x.output ?? []), ...m.graph!.initializer!.map((t) => t.name!), 'nowhere'];
    if (n.input?.length) n.input[r.int(n.input.length)] = r.pick(names);
    return `edge into ${n.name}`;
  },
  (m, r) => {
    const n = anyNode(m, r);
    const name = r.pick(NAMES);
    if (r.chance(0.5) || !n.output?.length) n.name = name;
    else {
      // Renamed everywhere it is used, so the model stays valid and the name must survive into messages and code.
      const old = n.output[0];
      const rename = (list?: string[] | null) => list?.forEach((v, i) => v === old && (list[i] = name));
      for (const other of m.graph!.node!) rename(other.input);
      n.output[0] = name;
      for (const o of m.graph!.output!) if (o.name === old) o.name = name;
    }
    return 'hostile name';
  },
  (m, r) => {
    const nodes = m.graph!.node!;
    const i = r.int(nodes.length);
    if (r.chance(0.5)) nodes.splice(i, 1);
    else nodes.splice(r.int(nodes.length), 0, nodes[i]);
    return 'node removed or duplicated';
  },
  (m, r) => {
    const opset = m.opsetImport?.[0];
    if (opset) opset.version = r.pick([1, 6, 7, 9, 10, 11, 13, 17, 18, 21, 99]);
    return 'opset';
  },
];

function generate(r: Random): FuzzInput {
  const model = onnx.ModelProto.decode(r.pick(SEEDS));
  const mutations: string[] = [];
  for (let k = 1 + r.int(3); k > 0; k--) mutations.push(r.pick(MUTATIONS)(model, r));
  let bytes: Uint8Array = onnx.ModelProto.encode(model).finish();
  if (r.chance(0.25)) {
    bytes = mutateBytes(bytes, r);
    mutations.push('bytes');
  }
  return { bytes, mutation: mutations.join('; ') };
}

async function consume({ bytes }: FuzzInput): Promise<void> {
  const result = await compile(bytes, { target: 'c', name: 'net', file: 'fuzz.onnx', warn: () => {}, log: () => {} });
  const { imported, report } = result;
  const inputs = imported.inputs.map((id) => imported.values.get(id)!.type.shape);
  if (report.before.totals.macs < 2e7 && inputs.every((s) => numel(s) < 1e6)) runGraph(imported, inputs.map((s) => new Float32Array(numel(s)).fill(0.5)));
}

export const onnxFormat: FuzzFormat = { name: 'onnx', generate, consume };
