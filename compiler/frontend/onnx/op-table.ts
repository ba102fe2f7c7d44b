// ONNX op type -> importer. Adding an op means adding one line here and one function in an ops-*.ts file.

import type { NodeView } from './node-view.ts';
import { importCast, importConstant, importConstantOfShape, importRange, importShape } from './ops-constant.ts';
import { importAveragePool, importBatchNormalization, importConv, importGlobalAveragePool, importMaxPool } from './ops-conv-pool.ts';
import { importClip, importHardSigmoid, importHardSwish, importRelu, importSigmoid } from './ops-activation.ts';
import { importBinary, importDropout, importGemm, importIdentity, importMatMul, importReduceMean } from './ops-math.ts';
import { importConcat, importFlatten, importGather, importPad, importReshape, importSlice, importSplit, importSqueeze, importTranspose, importUnsqueeze } from './ops-shape.ts';

/** Returns one IR value id per ONNX output the node defines. */
export type OpImporter = (node: NodeView) => number[];

export const OP_IMPORTERS: ReadonlyMap<string, OpImporter> = new Map<string, OpImporter>([
  ['Conv', importConv],
  ['BatchNormalization', importBatchNormalization],
  ['Relu', importRelu],
  ['Sigmoid', importSigmoid],
  ['HardSigmoid', importHardSigmoid],
  ['HardSwish', importHardSwish],
  ['Clip', importClip],
  ['MaxPool', importMaxPool],
  ['AveragePool', importAveragePool],
  ['GlobalAveragePool', importGlobalAveragePool],
  ['ReduceMean', importReduceMean],
  ['Gemm', importGemm],
  ['MatMul', importMatMul],
  ['Add', importBinary('add')],
  ['Sub', importBinary('sub')],
  ['Mul', importBinary('mul')],
  ['Div', importBinary('div')],
  ['Reshape', importReshape],
  ['Flatten', importFlatten],
  ['Squeeze', importSqueeze],
  ['Unsqueeze', importUnsqueeze],
  ['Transpose', importTranspose],
  ['Split', importSplit],
  ['Slice', importSlice],
  ['Concat', importConcat],
  ['Gather', importGather],
  ['Pad', importPad],
  ['Identity', importIdentity],
  ['Dropout', importDropout],
  ['Constant', importConstant],
  ['Shape', importShape],
  ['Cast', importCast],
  ['ConstantOfShape', importConstantOfShape],
  ['Range', importRange],
]);

/** Only the default ONNX domain is understood; custom-domain ops count as unsupported. */
export function importerFor(domain: string | null | undefined, opType: string): OpImporter | undefined {
  return !domain || domain === 'ai.onnx' ? OP_IMPORTERS.get(opType) : undefined;
}
