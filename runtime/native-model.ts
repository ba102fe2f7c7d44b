// A Model backed by a native harness process: one long-lived child, tensors exchanged over its pipes,
// requests answered in order.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { Model } from './model-api.ts';
import { checkInput, elementCount } from './model-api.ts';
import { buildNativeHarness, type NativeBuildOptions } from './native-build.ts';

export interface NativeModelOptions extends NativeBuildOptions {
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
}

interface Pending {
  resolve(out: Float32Array): void;
  reject(err: Error): void;
}

export function createNativeModel(opts: NativeModelOptions): Promise<Model> {
  const exe = buildNativeHarness(opts);
  const [cmd, ...args] = exe.command;
  const child: ChildProcessWithoutNullStreams = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const outputBytes = elementCount(opts.outputShape) * 4;
  const pending: Pending[] = [];
  let received: Buffer = Buffer.alloc(0);
  let stderr = '';
  let failure: Error | undefined;
  let disposed = false;

  // Keep the event loop alive only while an inference is in flight, so a forgotten dispose() cannot hang exit.
  const streams = [child.stdin, child.stdout, child.stderr] as unknown as { ref?(): void; unref?(): void }[];
  const hold = (active: boolean) => {
    if (active) child.ref();
    else child.unref();
    for (const s of streams) (active ? s.ref : s.unref)?.call(s);
  };
  hold(false);
  const failAll = (err: Error) => {
    failure ??= err;
    for (const p of pending.splice(0)) p.reject(failure);
    hold(false);
  };
  child.stdout.on('data', (chunk: Buffer) => {
    received = received.length ? Buffer.concat([received, chunk]) : chunk;
    while (received.length >= outputBytes && pending.length) {
      const out = new Float32Array(elementCount(opts.outputShape));
      new Uint8Array(out.buffer).set(received.subarray(0, outputBytes));
      received = received.subarray(outputBytes);
      pending.shift()!.resolve(out);
    }
    if (!pending.length) hold(false);
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  child.on('error', (e) => failAll(new Error(`native model ${opts.name}: cannot start ${cmd}: ${e.message}`)));
  child.on('exit', (code, signal) => {
    if (!disposed || pending.length) failAll(new Error(`native model ${opts.name} exited (${signal ?? code})${stderr ? ': ' + stderr.trim() : ''}`));
  });
  child.stdin.on('error', () => undefined); // reported through 'exit'

  const model: Model = {
    inputShape: opts.inputShape,
    outputShape: opts.outputShape,
    run(input: Float32Array): Promise<Float32Array> {
      checkInput(model, input);
      if (disposed) return Promise.reject(new Error(`native model ${opts.name} was disposed`));
      if (failure) return Promise.reject(failure);
      return new Promise<Float32Array>((resolve, reject) => {
        pending.push({ resolve, reject });
        hold(true);
        child.stdin.write(Buffer.from(input.buffer, input.byteOffset, input.byteLength));
      });
    },
    dispose(): void {
      if (disposed) return;
      disposed = true;
      child.stdin.end();
    },
  };
  return Promise.resolve(model);
}
