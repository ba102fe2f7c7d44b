// GPU times from timestamp queries, on devices created with the 'timestamp-query' feature (Chromium's
// SwiftShader adapter and Dawn's Vulkan backend have it; Dawn's GLES backend in compatibility mode does not):
// per dispatch, each in its own compute pass whose beginning and end are written to a query set, all in one
// submit; or one pass as a whole (the model's own GPU time, apart from upload, submit and readback).
// Browsers may coarsen the timestamps (Chromium: to 100 us unless its developer features are on).

const QUERY_RESOLVE = 0x200;
const COPY_SRC = 0x4;
const COPY_DST = 0x8;
const MAP_READ = 0x1;

/** Milliseconds each of `count` dispatches took; `record(pass, i)` sets the pipeline and dispatches step i. */
export async function timestampedDispatches(device: GPUDevice, count: number, record: (pass: GPUComputePassEncoder, i: number) => void): Promise<number[]> {
  const querySet = device.createQuerySet({ type: 'timestamp', count: 2 * count });
  const resolved = device.createBuffer({ size: 16 * count, usage: QUERY_RESOLVE | COPY_SRC });
  const readback = device.createBuffer({ size: 16 * count, usage: COPY_DST | MAP_READ });
  try {
    const encoder = device.createCommandEncoder({ label: 'timestamped dispatches' });
    for (let i = 0; i < count; i++) {
      const pass = encoder.beginComputePass({ timestampWrites: { querySet, beginningOfPassWriteIndex: 2 * i, endOfPassWriteIndex: 2 * i + 1 } });
      record(pass, i);
      pass.end();
    }
    encoder.resolveQuerySet(querySet, 0, 2 * count, resolved, 0);
    encoder.copyBufferToBuffer(resolved, 0, readback, 0, 16 * count);
    device.queue.submit([encoder.finish()]);
    await readback.mapAsync(MAP_READ);
    const ticks = new BigUint64Array(readback.getMappedRange().slice(0));
    readback.unmap();
    return Array.from({ length: count }, (_, i) => Number(ticks[2 * i + 1] - ticks[2 * i]) / 1e6);
  } finally {
    querySet.destroy();
    resolved.destroy();
    readback.destroy();
  }
}

/** The GPU time of one compute pass per submit: hand `timestampWrites` to the pass, `resolve` after it, `read` after the submit. */
export interface PassTimer {
  readonly timestampWrites: GPUComputePassTimestampWrites;
  resolve(encoder: GPUCommandEncoder): void;
  /** Milliseconds between the pass's beginning and end. */
  read(): Promise<number>;
  destroy(): void;
}

export function passTimer(device: GPUDevice): PassTimer {
  const querySet = device.createQuerySet({ type: 'timestamp', count: 2 });
  const resolved = device.createBuffer({ size: 16, usage: QUERY_RESOLVE | COPY_SRC });
  const readback = device.createBuffer({ size: 16, usage: COPY_DST | MAP_READ });
  return {
    timestampWrites: { querySet, beginningOfPassWriteIndex: 0, endOfPassWriteIndex: 1 },
    resolve(encoder) {
      encoder.resolveQuerySet(querySet, 0, 2, resolved, 0);
      encoder.copyBufferToBuffer(resolved, 0, readback, 0, 16);
    },
    async read() {
      await readback.mapAsync(MAP_READ);
      const ticks = new BigUint64Array(readback.getMappedRange().slice(0));
      readback.unmap();
      return Number(ticks[1] - ticks[0]) / 1e6;
    },
    destroy() {
      querySet.destroy();
      resolved.destroy();
      readback.destroy();
    },
  };
}
