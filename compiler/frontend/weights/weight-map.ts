// The weights every loader produces: state_dict keys (torchvision names) to contiguous float32 tensors.

export interface WeightTensor {
  shape: number[];
  data: Float32Array;
}

export type WeightMap = Map<string, WeightTensor>;

/** Caps shared by the loaders: far above any ShuffleNetV2, low enough that a forged header cannot exhaust memory. */
export const WEIGHT_LIMITS = {
  maxRank: 8,
  /** Elements in one tensor (the largest torchvision ShuffleNetV2 tensor, x2.0's fc, has ~2M). */
  maxElements: 1 << 28,
  maxTensors: 100_000,
  maxKeyLength: 1000,
} as const;
