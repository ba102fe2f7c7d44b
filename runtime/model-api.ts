// The one typed API every emitted model exposes, whatever the target (C harness, wasm, WebGPU).
// Emitted `<name>.ts` files export `createModel(opts?): Promise<Model>` returning this interface.

export interface Model {
  /** Input shape, NCHW as in PyTorch (batch fixed at compile time). */
  readonly inputShape: readonly number[];
  /** Output shape (the logits, e.g. [1, 1000]). */
  readonly outputShape: readonly number[];
  /** Runs one inference. `input` holds numel(inputShape) floats; the result is a fresh array the caller owns. */
  run(input: Float32Array): Float32Array | Promise<Float32Array>;
  /** Releases the instance (child process, wasm memory, GPU buffers). The model must not be used afterwards. */
  dispose(): void;
}

/** Elements in a shape. */
export function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Throws when `input` does not match the model's input shape; shared by every runtime so messages agree. */
export function checkInput(model: Pick<Model, 'inputShape'>, input: Float32Array): void {
  const expected = elementCount(model.inputShape);
  if (!(input instanceof Float32Array)) throw new TypeError('model input must be a Float32Array');
  if (input.length !== expected) {
    throw new RangeError(`model input holds ${input.length} floats, shape [${model.inputShape.join(', ')}] needs ${expected}`);
  }
}
