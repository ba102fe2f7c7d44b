// Bytes -> ONNX ModelProto, with the checks that turn "some protobuf" into "an ONNX model we can read".
// protobufjs decodes almost anything without complaint, so a file only counts as ONNX once it has a graph.

import onnxProto from 'onnx-proto';
import type { onnx } from 'onnx-proto';
import { CompileError } from '../../ir/errors.ts';
import { toNumber } from './numbers.ts';

export interface DecodedModel {
  readonly graph: onnx.IGraphProto;
  /** Version of the default ("" / "ai.onnx") operator set. */
  readonly opset: number;
}

export function decodeModel(bytes: Uint8Array): DecodedModel {
  if (bytes.length === 0) throw new CompileError('file is empty, not an ONNX model');
  let model: onnx.ModelProto;
  try {
    model = onnxProto.onnx.ModelProto.decode(bytes);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new CompileError(`not a valid ONNX model (truncated or not protobuf: ${why})`);
  }
  const graph = model.graph;
  if (!graph || (graph.node ?? []).length === 0) throw new CompileError('not an ONNX model: it holds no graph with nodes');
  const defaultSet = (model.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx');
  // IR version 3+ requires opset_import; a missing one means the file predates that, i.e. opset 1.
  const opset = defaultSet?.version != null ? toNumber(defaultSet.version) : 1;
  return { graph, opset };
}
