// The slice of the weights buffer one kernel binds: its weights, bias and channel-offset tables, in one
// contiguous block. Each kernel binds only its own block (binding offset = block start), so the shader
// addresses it from 0 and no single binding grows with the model.

/** Blocks start on 256-byte boundaries: the largest minStorageBufferOffsetAlignment WebGPU allows. */
export const BLOCK_ALIGN_FLOATS = 64;

/** Float integers are exact up to 2^24; offset tables hold activation offsets as floats. */
export const MAX_TABLE_VALUE = 1 << 24;

export class WeightBlock {
  private readonly parts: Float32Array[] = [];
  private length = 0;

  /** Appends floats at the next vec4 boundary (so kernels may read them as vec4s); returns their offset. */
  add(data: ArrayLike<number>): number {
    const offset = this.length;
    const padded = new Float32Array(Math.ceil(data.length / 4) * 4);
    padded.set(Float32Array.from(data));
    this.parts.push(padded);
    this.length += padded.length;
    return offset;
  }

  /** Appends an offset table (exact float integers); returns its offset inside the block. */
  addTable(offsets: readonly number[]): number {
    for (const o of offsets) if (!Number.isInteger(o) || o < 0 || o >= MAX_TABLE_VALUE) throw new Error(`internal: offset ${o} does not fit an exact float table`);
    return this.add(offsets);
  }

  /** The block's floats (at least 4, so every kernel has a non-empty binding). */
  floats(): Float32Array {
    const out = new Float32Array(Math.max(4, this.length));
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}
