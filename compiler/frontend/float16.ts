// IEEE 754 binary16 decoding, shared by the two readers that meet float16 data: ONNX initializers and
// PyTorch/safetensors checkpoints. Both widen to float32, which holds every binary16 value exactly.

/** IEEE 754 binary16 bits to a number, including subnormals, infinities and NaN. */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const mantissa = h & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa ? NaN : sign * Infinity;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}
