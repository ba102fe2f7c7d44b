// Builds small ONNX models in memory for frontend tests: several nodes, initializers (raw or typed fields),
// Constant-style attributes and dynamic dims — what real exporters write, in a few lines per test.

import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
const DT = onnx.TensorProto.DataType;
const AT = onnx.AttributeProto.AttributeType;

export interface TensorSpec {
  dtype: 'f32' | 'i64' | 'i32';
  shape: number[];
  values: number[];
  /** Store in the typed repeated fields (float_data / int64_data / int32_data) instead of raw_data. */
  typed?: boolean;
}

export type AttrSpec = { int: number } | { ints: number[] } | { float: number } | { floats: number[] } | { string: string } | { tensor: TensorSpec };

export interface NodeSpec {
  op: string;
  inputs: string[];
  outputs: string[];
  name?: string;
  domain?: string;
  attrs?: Record<string, AttrSpec>;
}

export interface ModelSpec {
  opset?: number;
  /** Runtime inputs (FLOAT); a string dim is a dim_param (dynamic axis). */
  inputs: { name: string; shape: (number | string)[] }[];
  initializers?: Record<string, TensorSpec>;
  nodes: NodeSpec[];
  outputs: string[];
}

const f32 = (shape: number[], values: number[]): TensorSpec => ({ dtype: 'f32', shape, values });
const i64 = (values: number[], shape = [values.length]): TensorSpec => ({ dtype: 'i64', shape, values });
export { f32, i64 };

/** Numbers at or beyond ±2^63 (how tests spell INT64_MAX/MIN) saturate instead of wrapping. */
function toInt64(v: number): bigint {
  if (v >= 2 ** 63) return 2n ** 63n - 1n;
  if (v <= -(2 ** 63)) return -(2n ** 63n);
  return BigInt(v);
}

export function tensorProto(name: string, t: TensorSpec) {
  const dataType = t.dtype === 'f32' ? DT.FLOAT : t.dtype === 'i64' ? DT.INT64 : DT.INT32;
  const base = { name, dims: t.shape, dataType };
  if (t.typed) {
    if (t.dtype === 'f32') return onnx.TensorProto.create({ ...base, floatData: t.values });
    if (t.dtype === 'i64') return onnx.TensorProto.create({ ...base, int64Data: t.values.map((v) => toInt64(v).toString()) as never });
    return onnx.TensorProto.create({ ...base, int32Data: t.values });
  }
  const size = t.dtype === 'i64' ? 8 : 4;
  const raw = new Uint8Array(t.values.length * size);
  const view = new DataView(raw.buffer);
  t.values.forEach((v, i) => {
    if (t.dtype === 'f32') view.setFloat32(i * 4, v, true);
    else if (t.dtype === 'i64') view.setBigInt64(i * 8, toInt64(v), true);
    else view.setInt32(i * 4, v, true);
  });
  return onnx.TensorProto.create({ ...base, rawData: raw });
}

function attributeProto(name: string, a: AttrSpec) {
  if ('int' in a) return onnx.AttributeProto.create({ name, type: AT.INT, i: a.int });
  if ('ints' in a) return onnx.AttributeProto.create({ name, type: AT.INTS, ints: a.ints });
  if ('float' in a) return onnx.AttributeProto.create({ name, type: AT.FLOAT, f: a.float });
  if ('floats' in a) return onnx.AttributeProto.create({ name, type: AT.FLOATS, floats: a.floats });
  if ('string' in a) return onnx.AttributeProto.create({ name, type: AT.STRING, s: new TextEncoder().encode(a.string) });
  return onnx.AttributeProto.create({ name, type: AT.TENSOR, t: tensorProto('', a.tensor) });
}

export function buildModel(spec: ModelSpec): Uint8Array {
  const graph = onnx.GraphProto.create({
    name: 'test',
    node: spec.nodes.map((n, i) =>
      onnx.NodeProto.create({
        name: n.name ?? `${n.op}_${i}`,
        opType: n.op,
        domain: n.domain ?? '',
        input: n.inputs,
        output: n.outputs,
        attribute: Object.entries(n.attrs ?? {}).map(([k, v]) => attributeProto(k, v)),
      }),
    ),
    input: spec.inputs.map((inp) =>
      onnx.ValueInfoProto.create({
        name: inp.name,
        type: { tensorType: { elemType: DT.FLOAT, shape: { dim: inp.shape.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) } } },
      }),
    ),
    initializer: Object.entries(spec.initializers ?? {}).map(([name, t]) => tensorProto(name, t)),
    output: spec.outputs.map((name) => onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType: DT.FLOAT } } })),
  });
  const model = onnx.ModelProto.create({ irVersion: 8, producerName: 'snv2c-test', opsetImport: [{ domain: '', version: spec.opset ?? 13 }], graph });
  return onnx.ModelProto.encode(model).finish();
}

/** Deterministic pseudo-random floats in [-1, 1) (a small LCG: tests must not depend on Math.random). */
export function randomFloats(count: number, seed = 1): number[] {
  let s = seed >>> 0;
  return Array.from({ length: count }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}
