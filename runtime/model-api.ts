// The one typed API every emitted model exposes, whatever the target (C harness, wasm, WebGPU).
// Emitted `<name>.ts` files export `createModel(opts?): Promise<Model>` returning this interface.

export interface Model {
  /** Input shape, NCHW as in PyTorch (batch fixed at compile time). */
  readonly inputShape: readonly number[];
  /** Output shape (the logits, e.g. [1, 1000]). */
  readonly outputShape: readonly number[];
  /** Runs one inference. `input` holds numel(inputShape) floats; the result is a fresh array the caller owns. */
  run(input: Float32Array): Float32Array | Promise<Float32Array>;
  /** Shapes of every graph input and output, in order (models with several; [inputShape] / [outputShape] otherwise). */
  readonly inputShapes?: readonly (readonly number[])[];
  readonly outputShapes?: readonly (readonly number[])[];
  /** Runs one inference with one buffer per graph input; the result holds one fresh array per graph output. */
  runAll?(inputs: readonly Float32Array[]): Float32Array[] | Promise<Float32Array[]>;
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

/** Checks one buffer per input against `shapes` and joins them (the C runtimes take all inputs one after another). */
export function joinInputs(shapes: readonly (readonly number[])[], inputs: readonly Float32Array[]): Float32Array {
  if (inputs.length !== shapes.length) throw new RangeError(`the model takes ${shapes.length} input(s), got ${inputs.length}`);
  inputs.forEach((input, i) => checkInput({ inputShape: shapes[i] }, input));
  if (inputs.length === 1) return inputs[0];
  const joined = new Float32Array(inputs.reduce((n, x) => n + x.length, 0));
  let at = 0;
  for (const x of inputs) {
    joined.set(x, at);
    at += x.length;
  }
  return joined;
}

/** Cuts the outputs, stored one after another in `all`, into one fresh array per output shape. */
export function splitOutputs(shapes: readonly (readonly number[])[], all: Float32Array): Float32Array[] {
  let at = 0;
  return shapes.map((shape) => {
    const n = elementCount(shape);
    const out = all.slice(at, at + n);
    at += n;
    return out;
  });
}
