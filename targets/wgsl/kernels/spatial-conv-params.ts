// Parameters shared by the convolutions that slide a window (depthwise and direct).

import type { Activation } from '../../../compiler/ir/types.ts';
import type { Operand } from '../operand-address.ts';
import type { WindowGeometry } from './window.ts';

export interface SpatialConvParams {
  readonly x: Operand;
  readonly y: Operand;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly groups: number;
  readonly outPlane: number;
  readonly batch: number;
  readonly window: WindowGeometry;
  /** [outChannels, inChannels / groups, kh, kw] row-major. */
  readonly weight: Float32Array;
  readonly bias?: Float32Array;
  readonly activation: Activation;
}
