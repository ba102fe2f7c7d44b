// Errors the WebGPU runtime raises, each naming the kernel and graph node it concerns.

import type { WebGpuModelDescription, WebGpuStep } from './webgpu-description.ts';

export const NO_ADAPTER_MESSAGE = "no WebGPU adapter: install Mesa's EGL/GLES drivers or run in a browser with WebGPU";

export class WebGpuModelError extends Error {
  constructor(message: string) {
    super(message.replace(/[\r\n\t]+/g, ' '));
    this.name = 'WebGpuModelError';
  }
}

export function describeStep(step: WebGpuStep): string {
  return `kernel ${step.entryPoint} (${step.kernel}) for node ${step.node}`;
}

/** The step whose WGSL contains `line` (1-based), if any. */
export function stepAtLine(model: WebGpuModelDescription, line: number): WebGpuStep | undefined {
  return model.steps.find((s) => line >= s.lines[0] && line <= s.lines[1]);
}

/** One line per shader compiler error, mapped back to the kernel and node that produced the code. */
export function compileError(model: WebGpuModelDescription, messages: readonly GPUCompilationMessage[]): WebGpuModelError {
  const lines = messages.map((m) => {
    const step = stepAtLine(model, m.lineNum);
    const where = step ? `${describeStep(step)}, line ${m.lineNum}:${m.linePos}` : `line ${m.lineNum}:${m.linePos}`;
    return `${where}: ${m.message}`;
  });
  return new WebGpuModelError(`WGSL of model ${model.name} does not compile: ${lines.join('; ')}`);
}
