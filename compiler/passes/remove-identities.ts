// Removes ops that do nothing and rewrites ops into the canonical form targets implement:
//   identity (ONNX Identity, Dropout at inference)            -> gone
//   reshape to the shape it already has                       -> gone
//   reshape of a reshape                                      -> one reshape (or gone)
//   reduceMean over H and W / avgPool covering the whole plane -> globalAvgPool
//   matMul by a constant (+ add of a constant bias)           -> gemm with transB (PyTorch Linear layout)
// A Flatten before gemm stays as a reshape [N,C,1,1] -> [N,C]: gemm needs a rank-2 operand, and under the
// planar layout that reshape is a view (compiler/plan/views.ts), so it costs nothing at run time.

import { broadcastShapes } from '../ir/shape-inference.ts';
import type { Graph, Node, Op } from '../ir/types.ts';
import { eliminateDeadCode } from './eliminate-dead-code.ts';
import type { Pass } from './pass.ts';
import { Rewriter, UseIndex } from './rewriter.ts';

const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);

/** The add that can become gemm's bias: the matMul's only reader, adding a constant that broadcasts to [M,N]. */
function biasAdd(uses: UseIndex, matMul: Node): { add: Node; bias: number } | undefined {
  const add = uses.soleConsumer(matMul.outputs[0]);
  if (!add || add.op.kind !== 'binary' || add.op.fn !== 'add') return undefined;
  const bias = add.inputs[0] === matMul.outputs[0] ? add.inputs[1] : add.inputs[0];
  if (bias === matMul.outputs[0] || !uses.constData(bias)) return undefined;
  const outShape = uses.graph.values.get(matMul.outputs[0])!.type.shape;
  const biasShape = uses.graph.values.get(bias)!.type.shape;
  if (biasShape.length > 2 || !sameShape(broadcastShapes(outShape, biasShape), outShape)) return undefined;
  return { add, bias };
}

/** matMul A[M,K] x B[K,N] with a constant B: the only matMul form gemm can express. */
function isGemmLike(graph: Graph, node: Node): boolean {
  const [a, b] = node.inputs.map((id) => graph.values.get(id)!);
  return node.op.kind === 'matMul' && a.type.shape.length === 2 && b.type.shape.length === 2 && b.data !== undefined && a.type.dtype === 'f32';
}

function transposed(data: Float32Array | Float64Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c];
  return out;
}

export function removeIdentities(graph: Graph): Graph {
  const uses = new UseIndex(graph);
  const rw = new Rewriter(graph);
  const shapeOf = (id: number) => rw.builder.value(id).type.shape;
  /** Values produced by a reshape in the rewritten graph -> that reshape's input. */
  const reshapeSource = new Map<number, number>();
  /** matMul nodes folded into the add that follows them -> their bias. */
  const gemmWithBias = new Map<number, Node>();
  for (const node of graph.nodes) {
    if (!isGemmLike(graph, node)) continue;
    const found = biasAdd(uses, node);
    if (found) gemmWithBias.set(found.add.id, node);
  }
  const deferredMatMuls = new Set([...gemmWithBias.values()].map((n) => n.id));

  const emitGemm = (matMul: Node, bias: number | undefined, out: number, origin: string) => {
    const b = graph.values.get(matMul.inputs[1])!;
    const [k, n] = b.type.shape;
    const weight = rw.addConst(b.name, [n, k], transposed(b.data!, k, n));
    const op: Op = { kind: 'gemm', transA: false, transB: true, alpha: 1, beta: 1 };
    rw.emitInto(op, bias === undefined ? [matMul.inputs[0], weight] : [matMul.inputs[0], weight, bias], [out], origin);
  };

  for (const node of graph.nodes) {
    const op = node.op;
    const x = node.inputs.length ? rw.resolve(node.inputs[0]) : -1;
    const out = node.outputs[0];
    if (op.kind === 'identity') {
      if (!rw.alias(out, x)) rw.keep(node);
    } else if (op.kind === 'reshape') {
      const source = reshapeSource.get(x) ?? x;
      if (sameShape(shapeOf(source), op.shape) && rw.alias(out, source)) continue;
      if (source !== x) rw.emitInto(op, [source], [out], node.origin);
      else rw.keep(node);
      reshapeSource.set(out, source);
    } else if (op.kind === 'reduceMean' && shapeOf(x).length === 4 && sameShape([...op.axes.map((a) => (a + 4) % 4)].sort(), [2, 3])) {
      if (op.keepDims) {
        rw.emitInto({ kind: 'globalAvgPool' }, [x], [out], node.origin);
      } else {
        const [pooled] = rw.emit({ kind: 'globalAvgPool' }, [x], node.origin);
        rw.emitInto({ kind: 'reshape', shape: shapeOf(out) }, [pooled], [out], node.origin);
      }
    } else if (op.kind === 'avgPool' && op.pads.every((p) => p === 0) && sameShape(op.kernel, shapeOf(x).slice(2)) && sameShape(shapeOf(out).slice(2), [1, 1])) {
      rw.emitInto({ kind: 'globalAvgPool' }, [x], [out], node.origin);
    } else if (deferredMatMuls.has(node.id)) {
      rw.markChanged(); // emitted as gemm at the add that consumes it
    } else if (gemmWithBias.has(node.id)) {
      const matMul = gemmWithBias.get(node.id)!;
      emitGemm(matMul, node.inputs[0] === matMul.outputs[0] ? node.inputs[1] : node.inputs[0], out, node.origin);
    } else if (isGemmLike(graph, node)) {
      emitGemm(node, undefined, out, node.origin);
    } else {
      rw.keep(node);
    }
  }
  // A collapsed reshape's inner half is garbage this pass made; sweep it here.
  const result = rw.finish();
  return result === graph ? graph : eliminateDeadCode(result);
}

export const removeIdentitiesPass: Pass = { name: 'remove-identities', run: removeIdentities };
