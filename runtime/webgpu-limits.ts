// What a compiled model asks of a device, and a check that names the first limit it exceeds.
// The WGSL target's layout was chosen to fit WebGPU's guaranteed minimums (compatibility mode included):
// three storage bindings per dispatch (compatibility mode guarantees 4), 64 invocations per workgroup, at most
// the guaranteed 16 KiB of workgroup memory, bindings no larger than one kernel's weights
// or the activation buffer, so only unusually large models ever hit a limit.

import type { WebGpuModelDescription } from './webgpu-description.ts';
import { WebGpuModelError } from './webgpu-errors.ts';

export interface ModelRequirements {
  readonly storageBuffersPerStage: number;
  readonly workgroupSize: number;
  /** Largest single binding: the activation buffer or the biggest weight block. */
  readonly maxBindingBytes: number;
  /** Largest buffer created. */
  readonly maxBufferBytes: number;
  readonly maxWorkgroupsPerDimension: number;
  readonly workgroupStorageBytes: number;
}

export function requirementsOf(model: WebGpuModelDescription): ModelRequirements {
  const activationBytes = model.activationFloats * 4;
  const largestBlock = Math.max(0, ...model.steps.map((s) => s.weightsLength * 4));
  return {
    storageBuffersPerStage: 3,
    workgroupSize: model.workgroupSize,
    maxBindingBytes: Math.max(activationBytes, largestBlock),
    maxBufferBytes: Math.max(activationBytes, model.weightsFloats * 4),
    maxWorkgroupsPerDimension: Math.max(1, ...model.steps.flatMap((s) => s.workgroups)),
    workgroupStorageBytes: Math.max(0, ...model.steps.map((s) => s.workgroupBytes)),
  };
}

export function checkLimits(limits: GPUSupportedLimits, needs: ModelRequirements): void {
  const checks: [string, number, number][] = [
    ['maxStorageBuffersPerShaderStage', limits.maxStorageBuffersPerShaderStage, needs.storageBuffersPerStage],
    ['maxComputeInvocationsPerWorkgroup', limits.maxComputeInvocationsPerWorkgroup, needs.workgroupSize],
    ['maxComputeWorkgroupSizeX', limits.maxComputeWorkgroupSizeX, needs.workgroupSize],
    ['maxStorageBufferBindingSize', limits.maxStorageBufferBindingSize, needs.maxBindingBytes],
    ['maxBufferSize', limits.maxBufferSize, needs.maxBufferBytes],
    ['maxComputeWorkgroupsPerDimension', limits.maxComputeWorkgroupsPerDimension, needs.maxWorkgroupsPerDimension],
    ['maxComputeWorkgroupStorageSize', limits.maxComputeWorkgroupStorageSize, needs.workgroupStorageBytes],
  ];
  for (const [name, available, need] of checks) {
    if (available < need) throw new WebGpuModelError(`the WebGPU device allows ${name} = ${available}, the model needs ${need}`);
  }
  // Weight blocks are bound at multiples of 256 bytes, the largest alignment WebGPU lets a device demand.
  if (256 % limits.minStorageBufferOffsetAlignment !== 0) throw new WebGpuModelError(`minStorageBufferOffsetAlignment ${limits.minStorageBufferOffsetAlignment} does not divide 256`);
}
