// Typed access to a node's attributes, with ONNX defaults supplied by the caller and type errors as CompileErrors.

import type { onnx } from 'onnx-proto';
import { CompileError, quoteName } from '../../ir/errors.ts';
import type { Tensor } from '../../interpreter/tensor.ts';
import { toNumber } from './numbers.ts';
import { tensorFromProto } from './tensor-proto.ts';

/** onnx.AttributeProto.AttributeType values used here. */
const FLOAT = 1, INT = 2, STRING = 3, TENSOR = 4, FLOATS = 6, INTS = 7;
const TYPE_NAMES: Record<number, string> = { 1: 'FLOAT', 2: 'INT', 3: 'STRING', 4: 'TENSOR', 5: 'GRAPH', 6: 'FLOATS', 7: 'INTS', 8: 'STRINGS' };

/**
 * Float attributes are stored as float32, so PyTorch's eps=1e-5 arrives as 9.99999974738e-6. The shortest
 * decimal that rounds to the same float32 is what the exporter was given; it keeps dumps readable.
 */
export function shortestFloat32(x: number): number {
  if (!Number.isFinite(x)) return x;
  for (let digits = 1; digits < 17; digits++) {
    const candidate = Number(x.toPrecision(digits));
    if (Math.fround(candidate) === Math.fround(x)) return candidate;
  }
  return x;
}

export class Attributes {
  private readonly byName = new Map<string, onnx.IAttributeProto>();

  constructor(protos: readonly onnx.IAttributeProto[]) {
    for (const a of protos) this.byName.set(a.name ?? '', a);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  int(name: string, fallback?: number): number {
    const a = this.get(name, INT, fallback);
    return a ? toNumber(a.i) : fallback!;
  }

  ints(name: string, fallback?: readonly number[]): number[] {
    const a = this.get(name, INTS, fallback);
    return a ? (a.ints ?? []).map(toNumber) : [...fallback!];
  }

  float(name: string, fallback?: number): number {
    const a = this.get(name, FLOAT, fallback);
    return a ? shortestFloat32(a.f ?? 0) : fallback!;
  }

  floats(name: string, fallback?: readonly number[]): number[] {
    const a = this.get(name, FLOATS, fallback);
    return a ? (a.floats ?? []).map(shortestFloat32) : [...fallback!];
  }

  string(name: string, fallback?: string): string {
    const a = this.get(name, STRING, fallback);
    return a ? new TextDecoder().decode(a.s ?? new Uint8Array()) : fallback!;
  }

  tensor(name: string): Tensor | undefined {
    const a = this.get(name, TENSOR, null);
    return a ? tensorFromProto(a.t ?? {}, `attribute ${quoteName(name)}`) : undefined;
  }

  /** The attribute if present (checking its type); throws when absent and no fallback exists. */
  private get(name: string, type: number, fallback: unknown): onnx.IAttributeProto | undefined {
    const a = this.byName.get(name);
    if (!a) {
      if (fallback === undefined) throw new CompileError(`required attribute ${quoteName(name)} is missing`);
      return undefined;
    }
    if (a.type !== type) {
      throw new CompileError(`attribute ${quoteName(name)} should be ${TYPE_NAMES[type]}, found ${TYPE_NAMES[a.type ?? 0] ?? `type ${a.type}`}`);
    }
    return a;
  }
}
