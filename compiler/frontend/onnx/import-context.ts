// The state of one import: the graph being built and which IR value each ONNX tensor name stands for.
// Every ONNX name resolves to an IR value; constants are values that carry data, so "is this known at
// compile time?" is simply `value.data !== undefined`.

import { CompileError, quoteName } from '../../ir/errors.ts';
import { GraphBuilder } from '../../ir/graph-builder.ts';
import { inferOutputTypes } from '../../ir/shape-inference.ts';
import type { Op, Value } from '../../ir/types.ts';
import type { Tensor } from '../../interpreter/tensor.ts';
import { allConstant, evaluateConstant } from './constant-eval.ts';
import { checkShape } from './size-limits.ts';

export class ImportContext {
  readonly builder = new GraphBuilder();
  private readonly byName = new Map<string, number>();

  /** `readNames`: every tensor name some node or graph output reads (to tell unused optional outputs apart). */
  constructor(readonly opset: number, private readonly readNames: ReadonlySet<string>) {}

  isRead(name: string): boolean {
    return this.readNames.has(name);
  }

  bind(name: string, id: number): void {
    if (this.byName.has(name)) throw new CompileError(`tensor ${quoteName(name)} is defined more than once`);
    this.byName.set(name, id);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  lookup(name: string): number {
    const id = this.byName.get(name);
    if (id === undefined) throw new CompileError(`tensor ${quoteName(name)} is used before any node or initializer defines it`);
    return id;
  }

  value(id: number): Value {
    return this.builder.value(id);
  }

  addConstant(name: string, t: Tensor): number {
    return this.builder.addValue(name, t.type, t.data);
  }

  /**
   * Adds `op` to the graph, or evaluates it right away when every input is a constant.
   * Returns the output value ids (named after the ONNX outputs).
   */
  emit(op: Op, inputs: readonly number[], origin: string, outputNames: readonly string[]): number[] {
    const values = inputs.map((id) => this.value(id));
    const types = inferOutputTypes(op, values);
    types.forEach((t, i) => checkShape(t.shape, `output ${quoteName(outputNames[i] ?? String(i))}`));
    if (allConstant(values)) {
      return evaluateConstant(op, values).map((t, i) => this.addConstant(outputNames[i] ?? `const:${i}`, t));
    }
    return this.builder.addNode(op, inputs, origin, outputNames);
  }
}
