// onnxruntime-node as an independent oracle: run a whole .onnx file, or a one-node ONNX model built in memory
// (opset 13) so a single interpreter op can be compared with onnxruntime's kernel for the same ONNX op.

import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import type { Tensor } from '../../compiler/interpreter/tensor.ts';
import type { DType } from '../../compiler/ir/types.ts';

const { onnx } = onnxProto;

/** ONNX attribute values, tagged so ints and floats cannot be confused. */
export type OnnxAttribute = { int: number } | { ints: readonly number[] } | { float: number } | { floats: readonly number[] };

const ELEM_TYPE: Record<DType, number> = { f32: onnx.TensorProto.DataType.FLOAT, i64: onnx.TensorProto.DataType.INT64 };

function attributeProto(name: string, value: OnnxAttribute): InstanceType<typeof onnx.AttributeProto> {
  const T = onnx.AttributeProto.AttributeType;
  if ('int' in value) return onnx.AttributeProto.create({ name, type: T.INT, i: value.int });
  if ('ints' in value) return onnx.AttributeProto.create({ name, type: T.INTS, ints: [...value.ints] });
  if ('float' in value) return onnx.AttributeProto.create({ name, type: T.FLOAT, f: value.float });
  return onnx.AttributeProto.create({ name, type: T.FLOATS, floats: [...value.floats] });
}

function valueInfo(name: string, dtype: DType, shape?: readonly number[]) {
  const dims = shape?.map((d) => ({ dimValue: d }));
  return onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType: ELEM_TYPE[dtype], shape: dims ? { dim: dims } : undefined } } });
}

export interface OnnxNodeSpec {
  opType: string;
  /** Fed as graph inputs in this order; `null` leaves an optional input out. */
  inputs: readonly (Tensor | null)[];
  attributes?: Readonly<Record<string, OnnxAttribute>>;
  /** dtype of each output; defaults to one output with the first input's dtype. */
  outputs?: readonly DType[];
  opset?: number;
}

/** Encodes a one-node model. */
export function singleNodeModel(spec: OnnxNodeSpec): Uint8Array {
  const inputNames = spec.inputs.map((t, i) => (t ? `in${i}` : ''));
  const outputTypes = spec.outputs ?? [spec.inputs[0]!.type.dtype];
  const outputNames = outputTypes.map((_, i) => `out${i}`);
  const node = onnx.NodeProto.create({
    opType: spec.opType,
    input: inputNames,
    output: outputNames,
    attribute: Object.entries(spec.attributes ?? {}).map(([name, v]) => attributeProto(name, v)),
  });
  const graph = onnx.GraphProto.create({
    name: 'single',
    node: [node],
    input: spec.inputs.flatMap((t, i) => (t ? [valueInfo(inputNames[i], t.type.dtype, t.type.shape)] : [])),
    output: outputTypes.map((dtype, i) => valueInfo(outputNames[i], dtype)),
  });
  const model = onnx.ModelProto.create({ irVersion: 7, producerName: 'snv2c-test', opsetImport: [{ domain: '', version: spec.opset ?? 13 }], graph });
  return onnx.ModelProto.encode(model).finish();
}

function toOrt(t: Tensor): ort.Tensor {
  const dims = [...t.type.shape];
  if (t.type.dtype === 'f32') return new ort.Tensor('float32', Float32Array.from(t.data), dims);
  return new ort.Tensor('int64', BigInt64Array.from(t.data, (v) => BigInt(v)), dims);
}

function fromOrt(t: ort.Tensor): Tensor {
  const shape = [...t.dims];
  if (t.type === 'float32') return { type: { dtype: 'f32', shape }, data: Float32Array.from(t.data as Float32Array) };
  if (t.type === 'int64') return { type: { dtype: 'i64', shape }, data: Float64Array.from(t.data as BigInt64Array, (v) => Number(v)) };
  throw new Error(`unexpected onnxruntime output type ${t.type}`);
}

/** Runs a model with onnxruntime-node on one thread; inputs in the model's input order, outputs in its output order. */
export async function runOnnxModel(bytes: Uint8Array, inputs: readonly Tensor[]): Promise<Tensor[]> {
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  try {
    if (session.inputNames.length !== inputs.length) throw new Error(`model takes ${session.inputNames.length} inputs, got ${inputs.length}`);
    const feeds = Object.fromEntries(session.inputNames.map((name, i) => [name, toOrt(inputs[i])]));
    const results = await session.run(feeds);
    return session.outputNames.map((name) => fromOrt(results[name] as ort.Tensor));
  } finally {
    await session.release();
  }
}

/** Runs one ONNX op in onnxruntime-node. */
export async function runOnnxNode(spec: OnnxNodeSpec): Promise<Tensor[]> {
  return runOnnxModel(singleNodeModel(spec), spec.inputs.filter((t): t is Tensor => t !== null));
}
