// Resolves ONNX 2-D window padding (explicit `pads` or `auto_pad`) into the IR's [top, left, bottom, right].

import { CompileError } from '../../ir/errors.ts';
import type { Pads4, Pair } from '../../ir/types.ts';
import type { Attributes } from './attributes.ts';

export interface Window {
  readonly kernel: Pair;
  readonly stride: Pair;
  readonly dilations: Pair;
}

export function pair(values: readonly number[], what: string): Pair {
  if (values.length !== 2) throw new CompileError(`${what} must have 2 entries (2-D only), got [${values.join(',')}]`);
  if (values.some((v) => !Number.isInteger(v) || v < 1)) throw new CompileError(`${what} must be positive integers, got [${values.join(',')}]`);
  return [values[0], values[1]];
}

export function resolvePads(attrs: Attributes, input: readonly number[], w: Window): Pads4 {
  const mode = attrs.string('auto_pad', 'NOTSET');
  switch (mode) {
    case 'NOTSET': {
      const pads = attrs.ints('pads', [0, 0, 0, 0]);
      if (pads.length !== 4 || pads.some((p) => !Number.isInteger(p) || p < 0)) throw new CompileError(`pads must be 4 non-negative integers, got [${pads.join(',')}]`);
      return [pads[0], pads[1], pads[2], pads[3]];
    }
    case 'VALID':
      return [0, 0, 0, 0];
    case 'SAME_UPPER':
    case 'SAME_LOWER': {
      // Output size ceil(in / stride); the odd pixel of padding goes at the end (UPPER) or the start (LOWER).
      const [h, wd] = [0, 1].map((a) => {
        const size = input[2 + a];
        const span = w.dilations[a] * (w.kernel[a] - 1) + 1;
        const total = Math.max(0, (Math.ceil(size / w.stride[a]) - 1) * w.stride[a] + span - size);
        const small = Math.floor(total / 2);
        return mode === 'SAME_UPPER' ? [small, total - small] : [total - small, small];
      });
      return [h[0], wd[0], h[1], wd[1]];
    }
    default:
      throw new CompileError(`unknown auto_pad ${JSON.stringify(mode.slice(0, 40))}`);
  }
}
