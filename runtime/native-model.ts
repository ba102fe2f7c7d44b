// A Model backed by a native harness process: one long-lived child, tensors exchanged over its pipes,
// requests answered in order.

import type { Model } from './model-api.ts';
import { elementCount, joinInputs, splitOutputs } from './model-api.ts';
import { buildNativeHarness, type NativeBuildOptions } from './native-build.ts';
import { PipeClient } from './pipe-client.ts';

export interface NativeModelOptions extends NativeBuildOptions {
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
  /** Every graph input / output shape when the model has several (the harness takes and gives them in order). */
  readonly inputShapes?: readonly (readonly number[])[];
  readonly outputShapes?: readonly (readonly number[])[];
}

export function createNativeModel(opts: NativeModelOptions): Promise<Model> {
  const exe = buildNativeHarness(opts);
  const client = new PipeClient(exe.command, `native model ${opts.name}`);
  const inputShapes = opts.inputShapes ?? [opts.inputShape];
  const outputShapes = opts.outputShapes ?? [opts.outputShape];
  const outputFloats = outputShapes.reduce((n, s) => n + elementCount(s), 0);
  // Input checks throw synchronously (a caller bug); failures of the process reject. An empty request or
  // answer is one dummy float (see native-harness.ts).
  const runAll = (inputs: readonly Float32Array[]): Promise<Float32Array[]> => {
    const joined = joinInputs(inputShapes, inputs);
    const input = joined.length ? joined : new Float32Array(1);
    return client
      .request(new Uint8Array(input.buffer, input.byteOffset, input.byteLength), Math.max(outputFloats, 1) * 4)
      .then((reply) => splitOutputs(outputShapes, new Float32Array(reply.buffer, 0, outputFloats)));
  };
  const model: Model = {
    inputShape: opts.inputShape,
    outputShape: opts.outputShape,
    inputShapes,
    outputShapes,
    run: (input: Float32Array) => runAll([input]).then((outputs) => outputs[0]),
    runAll,
    dispose: () => client.dispose(),
  };
  return Promise.resolve(model);
}
