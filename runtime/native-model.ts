// A Model backed by a native harness process: one long-lived child, tensors exchanged over its pipes,
// requests answered in order.

import type { Model } from './model-api.ts';
import { checkInput, elementCount } from './model-api.ts';
import { buildNativeHarness, type NativeBuildOptions } from './native-build.ts';
import { PipeClient } from './pipe-client.ts';

export interface NativeModelOptions extends NativeBuildOptions {
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
}

export function createNativeModel(opts: NativeModelOptions): Promise<Model> {
  const exe = buildNativeHarness(opts);
  const client = new PipeClient(exe.command, `native model ${opts.name}`);
  const outputFloats = elementCount(opts.outputShape);
  const model: Model = {
    inputShape: opts.inputShape,
    outputShape: opts.outputShape,
    run(input: Float32Array): Promise<Float32Array> {
      checkInput(model, input);
      return client
        .request(new Uint8Array(input.buffer, input.byteOffset, input.byteLength), outputFloats * 4)
        .then((reply) => new Float32Array(reply.buffer, 0, outputFloats));
    },
    dispose: () => client.dispose(),
  };
  return Promise.resolve(model);
}
