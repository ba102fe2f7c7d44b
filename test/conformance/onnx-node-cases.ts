// The official ONNX backend node tests as installed by Debian's libonnx-testdata (data/node/<case>/model.onnx
// and test_data_set_0/{input,output}_<i>.pb), read with onnx-proto. Most cases pass weights, shapes and indices
// as graph inputs; as a user compiling such a model would, the first FLOAT input stays the runtime input and
// every other input becomes an initializer holding its test value. Only cases whose ops the ONNX frontend
// lists as supported are taken.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import type { onnx } from 'onnx-proto';
import { OP_IMPORTERS } from '../../compiler/frontend/onnx/op-table.ts';

export const NODE_TEST_DIR = '/usr/share/libonnx-testdata/data/node';

export interface ExpectedTensor {
  readonly shape: number[];
  /** Floating outputs only; integer ones cannot come out of snv2c (its outputs are float32). */
  readonly data?: Float32Array;
  readonly dataType: number;
}

export interface NodeCase {
  readonly name: string;
  /** The model with every input but the runtime one turned into an initializer. */
  readonly model: Uint8Array;
  /** The runtime input's value, or none when the model has no FLOAT input. */
  readonly inputs: Float32Array[];
  readonly expected: ExpectedTensor[];
}

const FLOAT = 1;
const FLOAT16 = 10;
const DOUBLE = 11;

function half(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 31) return fraction ? NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/**
 * Decodes a TensorProto of a floating type on its own (not through the frontend under test). snv2c computes in
 * float32, so a FLOAT16 or DOUBLE expected output is compared by value.
 */
function floatData(t: onnx.TensorProto): Float32Array | undefined {
  const raw = t.rawData && t.rawData.length ? new DataView(new Uint8Array(t.rawData).buffer) : undefined; // aligned copy
  switch (t.dataType) {
    case FLOAT:
      return raw ? Float32Array.from({ length: raw.byteLength / 4 }, (_, i) => raw.getFloat32(4 * i, true)) : Float32Array.from(t.floatData ?? []);
    case DOUBLE:
      return raw ? Float32Array.from({ length: raw.byteLength / 8 }, (_, i) => raw.getFloat64(8 * i, true)) : Float32Array.from(t.doubleData ?? []);
    case FLOAT16:
      return raw ? Float32Array.from({ length: raw.byteLength / 2 }, (_, i) => half(raw.getUint16(2 * i, true))) : Float32Array.from(t.int32Data ?? [], half);
    default:
      return undefined;
  }
}

const dims = (t: onnx.TensorProto): number[] => (t.dims ?? []).map((d) => Number(d));

function readTensor(path: string): onnx.TensorProto {
  return onnxProto.onnx.TensorProto.decode(readFileSync(path));
}

/** Every case directory holding a model whose default-domain ops are all supported (or all cases when `all`). */
export function supportedCaseNames(): string[] {
  if (!existsSync(NODE_TEST_DIR)) return [];
  return readdirSync(NODE_TEST_DIR)
    .filter((name) => existsSync(join(NODE_TEST_DIR, name, 'model.onnx')) && existsSync(join(NODE_TEST_DIR, name, 'test_data_set_0')))
    .filter((name) => {
      const model = onnxProto.onnx.ModelProto.decode(readFileSync(join(NODE_TEST_DIR, name, 'model.onnx')));
      return (model.graph?.node ?? []).every((n) => (!n.domain || n.domain === 'ai.onnx') && OP_IMPORTERS.has(n.opType ?? ''));
    })
    .sort();
}

export function loadCase(name: string): NodeCase {
  const dir = join(NODE_TEST_DIR, name);
  const model = onnxProto.onnx.ModelProto.decode(readFileSync(join(dir, 'model.onnx')));
  const graph = model.graph!;
  const initialised = new Set((graph.initializer ?? []).map((t) => t.name));
  const inputs = (graph.input ?? []).filter((i) => !initialised.has(i.name));
  const data = join(dir, 'test_data_set_0');
  const values = inputs.map((_, i) => readTensor(join(data, `input_${i}.pb`)));
  const runtime = inputs.findIndex((info) => info.type?.tensorType?.elemType === FLOAT);
  values.forEach((tensor, i) => {
    if (i === runtime) return;
    tensor.name = inputs[i].name ?? '';
    graph.initializer = [...(graph.initializer ?? []), tensor];
  });
  graph.input = runtime >= 0 ? [inputs[runtime]] : [];
  const outputs = (graph.output ?? []).map((_, i) => readTensor(join(data, `output_${i}.pb`)));
  return {
    name,
    model: onnxProto.onnx.ModelProto.encode(model).finish(),
    inputs: runtime >= 0 ? [floatData(values[runtime])!] : [],
    expected: outputs.map((t) => ({ shape: dims(t), data: floatData(t), dataType: t.dataType ?? 0 })),
  };
}

/** ONNX's backend-test tolerance (numpy.testing.assert_allclose with rtol 1e-3, atol 1e-7), atol eased to 1e-5 for fp32 kernels. */
export function closeTo(actual: ArrayLike<number>, expected: ArrayLike<number>): boolean {
  if (actual.length !== expected.length) return false;
  for (let i = 0; i < actual.length; i++) {
    const [a, e] = [actual[i], expected[i]];
    if (Number.isNaN(e) ? !Number.isNaN(a) : !(Math.abs(a - e) <= 1e-5 + 1e-3 * Math.abs(e)) && a !== e) return false;
  }
  return true;
}
