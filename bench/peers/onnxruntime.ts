// onnxruntime-node as the peer `snv2c bench --vs onnxruntime` times in the same process. It stays an optional
// dependency: loaded on demand, with a one-line error saying how to install it when it is absent.

import { CompileError } from '../../compiler/ir/errors.ts';

export const INSTALL_ONNXRUNTIME = 'ONNXRUNTIME_NODE_INSTALL=skip npm install onnxruntime-node';

interface OrtTensor {
  readonly data: unknown;
}
interface OrtSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
  release?(): Promise<void>;
}
interface Ort {
  InferenceSession: { create(model: Uint8Array, options: Record<string, unknown>): Promise<OrtSession> };
  Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => OrtTensor;
}

async function loadOrt(): Promise<Ort> {
  try {
    const name = 'onnxruntime-node'; // a variable: the package is optional and must not be resolved eagerly
    const mod = (await import(name)) as Ort & { default?: Ort };
    return mod.InferenceSession ? mod : mod.default!;
  } catch {
    throw new CompileError(`--vs onnxruntime needs the optional package onnxruntime-node; install it with: ${INSTALL_ONNXRUNTIME}`, { kind: 'io' });
  }
}

export interface OnnxRuntimePeer {
  /** One inference on `input`; returns the first output. */
  run(input: Float32Array): Promise<Float32Array>;
  dispose(): void;
}

/** A session on the ONNX bytes with `threads` intra-op threads (sequential execution, all graph optimisations). */
export async function startOnnxRuntime(onnx: Uint8Array, inputShape: readonly number[], threads: number): Promise<OnnxRuntimePeer> {
  const ort = await loadOrt();
  const session = await ort.InferenceSession.create(onnx, { intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' });
  const inputName = session.inputNames[0];
  const outputName = session.outputNames[0];
  return {
    async run(input) {
      const result = await session.run({ [inputName]: new ort.Tensor('float32', input, inputShape) });
      return result[outputName].data as Float32Array;
    },
    dispose: () => void session.release?.(),
  };
}
