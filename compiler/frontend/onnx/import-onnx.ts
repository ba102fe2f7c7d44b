// ONNX model -> IR Graph. Decodes the protobuf, refuses unsupported ops all at once, binds initializers and
// inputs, imports node by node (folding everything computable at compile time), and verifies the result.

import type { onnx } from 'onnx-proto';
import { CompileError, quoteName } from '../../ir/errors.ts';
import type { Graph } from '../../ir/types.ts';
import { verifyGraph } from '../../ir/verify.ts';
import { decodeModel } from './decode-model.ts';
import { resolveInputShape } from './graph-inputs.ts';
import { ImportContext } from './import-context.ts';
import { describeNode, NodeView } from './node-view.ts';
import { importerFor } from './op-table.ts';
import { tensorFromProto } from './tensor-proto.ts';

export interface OnnxImportOptions {
  /** File name for messages. */
  readonly file: string;
  /** Fixes dynamic axes (batch); must agree with the model's static dims. */
  readonly inputShape?: readonly number[];
}

export function importOnnx(bytes: Uint8Array, opts: OnnxImportOptions): Graph {
  try {
    return importModel(bytes, opts);
  } catch (e) {
    if (e instanceof CompileError) throw e.withSite({ file: opts.file });
    throw e;
  }
}

function importModel(bytes: Uint8Array, opts: OnnxImportOptions): Graph {
  const { graph, opset } = decodeModel(bytes);
  const nodes = graph.node ?? [];
  refuseUnsupported(nodes);

  const readNames = new Set<string>([...nodes.flatMap((n) => n.input ?? []), ...(graph.output ?? []).map((o) => o.name ?? '')]);
  const ctx = new ImportContext(opset, readNames);
  for (const init of graph.initializer ?? []) {
    const name = init.name ?? '';
    ctx.bind(name, ctx.addConstant(name, tensorFromProto(init, `initializer ${quoteName(name)}`)));
  }
  if ((graph.sparseInitializer ?? []).length > 0) throw new CompileError('sparse initializers are not supported', { kind: 'unsupported' });

  // Older exports list initializers among the inputs too; only the rest are fed at run time.
  const runtimeInputs = (graph.input ?? []).filter((i) => !ctx.has(i.name ?? ''));
  if (runtimeInputs.length === 0) throw new CompileError('the graph has no runtime input');
  if (opts.inputShape && runtimeInputs.length > 1) throw new CompileError(`an input shape was given but the model has ${runtimeInputs.length} inputs`);
  for (const info of runtimeInputs) {
    const name = info.name ?? '';
    const id = ctx.builder.addValue(name, { dtype: 'f32', shape: resolveInputShape(info, opts.inputShape) });
    ctx.bind(name, id);
    ctx.builder.inputs.push(id);
  }

  nodes.forEach((proto, index) => importNode(proto, index, ctx));

  if ((graph.output ?? []).length === 0) throw new CompileError('the graph declares no outputs');
  ctx.builder.outputs = (graph.output ?? []).map((o) => ctx.lookup(o.name ?? ''));
  const result = ctx.builder.build();
  verifyGraph(result, 'ONNX import');
  return result;
}

function importNode(proto: onnx.INodeProto, index: number, ctx: ImportContext): void {
  const view = new NodeView(proto, index, ctx);
  try {
    const importer = importerFor(proto.domain, proto.opType ?? '')!;
    const ids = importer(view);
    ids.forEach((id, i) => {
      const name = view.outputNames[i];
      if (name) ctx.bind(name, id);
    });
  } catch (e) {
    if (e instanceof CompileError) throw e.withSite({ node: view.origin });
    throw e;
  }
}

/** Lists every unsupported node in one message, so a user learns the whole gap at once. */
function refuseUnsupported(nodes: readonly onnx.INodeProto[]): void {
  const bad = nodes.flatMap((n, i) => (importerFor(n.domain, n.opType ?? '') ? [] : [describeNode(n, i)]));
  if (bad.length === 0) return;
  const shown = bad.slice(0, 20).join(', ') + (bad.length > 20 ? `, and ${bad.length - 20} more` : '');
  const types = [...new Set(bad.map((b) => b.slice(b.lastIndexOf('(') + 1, -1)))].join(', ');
  throw new CompileError(`unsupported ONNX ops (${types}) in ${bad.length} node(s): ${shown}`, { kind: 'unsupported' });
}
