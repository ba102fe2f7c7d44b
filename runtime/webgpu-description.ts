// What the WGSL target hands the WebGPU runtime besides the shader itself: a flat list of dispatches, and where
// the input and output sit in the single activation buffer. Plain data (JSON-able), embedded in `<name>.js`.
// The WGSL is not in here: it is `<name>.wgsl`, which the runtime loads (the one copy of it a model ships).

export interface WebGpuStep {
  /** Entry point in the module; also the kernel's id in messages ("k12"). */
  readonly entryPoint: string;
  /**
   * Kernel kind: conv1x1, depthwise, conv, maxPool, avgPool, globalAvgPool, classifier, matMul, reduceMean, a
   * per-element kind (relu, sigmoid, add, mul+residual, batchNorm, transpose, slice, gather, pad, concat, split,
   * copy, ...), or a fused pair: depthwise-conv1x1, globalAvgPool-classifier.
   */
  readonly kernel: string;
  /** Graph node(s) it computes (sanitised origins: [A-Za-z0-9_./:-] only; ", " between fused nodes). */
  readonly node: string;
  readonly workgroups: readonly [number, number, number];
  /** var<workgroup> bytes the kernel uses (0 for most; fused kernels keep their intermediate there). */
  readonly workgroupBytes: number;
  /** The kernel's block of the weights buffer, in floats (offset a multiple of 64 = 256 bytes). */
  readonly weightsOffset: number;
  readonly weightsLength: number;
  /** 1-based inclusive line range of the kernel in `<name>.wgsl`, to map compiler messages back to it. */
  readonly lines: readonly [number, number];
}

export interface WebGpuModelDescription {
  readonly name: string;
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
  /**
   * Every graph input's and output's shape, for models with several (or no input: inputShape is then [0]).
   * Inputs sit one after another from inputOffset, outputs from outputOffset.
   */
  readonly inputShapes?: readonly (readonly number[])[];
  readonly outputShapes?: readonly (readonly number[])[];
  readonly workgroupSize: number;
  /** Length of `<name>.weights.bin` in floats. */
  readonly weightsFloats: number;
  /** One buffer holds the memory plan's arena, then the inputs, then the outputs (all in floats). */
  readonly activationFloats: number;
  readonly inputOffset: number;
  readonly outputOffset: number;
  readonly steps: readonly WebGpuStep[];
}
