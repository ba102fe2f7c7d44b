// One ONNX node as the op importers see it: attributes, inputs resolved to IR values, and `emit`.
// Importers return one IR value id per ONNX output they define.

import type { onnx } from 'onnx-proto';
import { CompileError, printable, quoteName } from '../../ir/errors.ts';
import type { Op, TensorType, Value } from '../../ir/types.ts';
import type { Tensor } from '../../interpreter/tensor.ts';
import { Attributes } from './attributes.ts';
import type { ImportContext } from './import-context.ts';

/** Op type text made safe for messages (it comes from the file too): escaped, not quoted. */
export function cleanOpType(opType: string): string {
  return printable(opType, 40);
}

/** `"name" (OpType)`, or `#index (OpType)` for unnamed nodes: the form CompileError sites and IR origins use. */
export function describeNode(proto: onnx.INodeProto, index: number): string {
  const label = proto.name ? quoteName(proto.name) : `#${index}`;
  const domain = proto.domain && proto.domain !== 'ai.onnx' ? `${cleanOpType(proto.domain)}.` : '';
  return `${label} (${domain}${cleanOpType(proto.opType ?? '')})`;
}

export class NodeView {
  readonly attrs: Attributes;
  readonly origin: string;
  readonly opType: string;
  private readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];

  constructor(proto: onnx.INodeProto, index: number, private readonly ctx: ImportContext) {
    this.attrs = new Attributes(proto.attribute ?? []);
    this.origin = describeNode(proto, index);
    this.opType = proto.opType ?? '';
    this.inputNames = proto.input ?? [];
    this.outputNames = proto.output ?? [];
  }

  /** The model's default-domain opset, for ops whose form changed between versions. */
  get opset(): number {
    return this.ctx.opset;
  }

  /** Whether optional input i is present (ONNX leaves an empty name for skipped optionals). */
  hasInput(i: number): boolean {
    return i < this.inputNames.length && this.inputNames[i] !== '';
  }

  input(i: number, what = `input ${i}`): number {
    if (!this.hasInput(i)) throw new CompileError(`${what} is missing`);
    return this.ctx.lookup(this.inputNames[i]);
  }

  optionalInput(i: number): number | undefined {
    return this.hasInput(i) ? this.ctx.lookup(this.inputNames[i]) : undefined;
  }

  /** All present inputs, in order (variadic ops). */
  inputs(): number[] {
    return this.inputNames.filter((n) => n !== '').map((n) => this.ctx.lookup(n));
  }

  value(i: number): Value {
    return this.ctx.value(this.input(i));
  }

  type(i: number): TensorType {
    return this.value(i).type;
  }

  shape(i: number): readonly number[] {
    return this.type(i).shape;
  }

  /** Input i as a compile-time constant; the shape of anything it feeds cannot be resolved otherwise. */
  constant(i: number, what = `input ${i}`): Tensor {
    const v = this.value(i);
    if (!v.data) throw new CompileError(`${what} (tensor ${quoteName(v.name)}) is not a compile-time constant, so the shape it controls cannot be resolved`);
    return { type: v.type, data: v.data };
  }

  /** A constant integer list input (axes, shape, starts...). */
  constantInts(i: number, what: string): number[] {
    const t = this.constant(i, what);
    const values = Array.from(t.data);
    if (values.some((x) => !Number.isInteger(x))) throw new CompileError(`${what} must hold integers, got [${values.join(',')}]`);
    return values;
  }

  /** Whether ONNX output i is read by a node or a graph output (an empty name means the optional output is skipped). */
  outputUsed(i: number): boolean {
    return i < this.outputNames.length && this.outputNames[i] !== '' && this.ctx.isRead(this.outputNames[i]);
  }

  emit(op: Op, inputs: readonly number[]): number[] {
    return this.ctx.emit(op, inputs, this.origin, this.outputNames);
  }

  /** Defines ONNX output `output` as a constant (ops evaluated entirely at import). */
  constantResult(t: Tensor, output = 0): number {
    return this.ctx.addConstant(this.outputNames[output] || `${this.origin}:${output}`, t);
  }

  /** An extra constant operand the importer synthesises (e.g. normalised gather indices). */
  addConstant(name: string, t: Tensor): number {
    return this.ctx.addConstant(name, t);
  }
}
