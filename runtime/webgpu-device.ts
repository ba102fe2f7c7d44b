// Finds a GPUDevice: the browser's navigator.gpu, or in Node the `webgpu` package (Dawn). On machines without
// a GPU, Dawn's OpenGL ES backend on Mesa in WebGPU compatibility mode is the adapter that works, so it is
// the fallback after the default (Vulkan/Metal/D3D) backends.

import { NO_ADAPTER_MESSAGE, WebGpuModelError } from './webgpu-errors.ts';

export interface AcquiredDevice {
  readonly device: GPUDevice;
  /** The adapter in words (vendor, architecture, device, description), for reports. */
  readonly adapter: string;
  /** Destroys the device and lets go of the GPU object that must outlive it. */
  release(): void;
}

/** Limits the model needs beyond WebGPU's defaults (only requested when the adapter has them). */
export type LimitNeeds = Partial<Record<'maxStorageBufferBindingSize' | 'maxBufferSize', number>>;

/** Dawn's `create()` flags tried in order in Node: default backends first, then GLES (needs EGL_PLATFORM). */
export const NODE_BACKENDS: readonly (readonly string[])[] = [[], ['backend=opengles']];

/**
 * Flags added to every Dawn instance in Node. Dawn rounds timestamp queries down to multiples of 2^16 ns (65.5
 * us) against timing attacks in browsers; a Node process has no such page to protect, and at that granularity
 * a whole ShuffleNetV2 on a data-centre GPU is a dozen ticks and most kernels read 0 (seen on an H200).
 */
const NODE_FLAGS = ['disable-dawn-features=timestamp_quantization'];

/** WebGPU's default limits (core and compatibility alike): ask for more only when needed. */
const DEFAULT_LIMITS: Required<LimitNeeds> = { maxStorageBufferBindingSize: 128 * 1024 * 1024, maxBufferSize: 256 * 1024 * 1024 };

// Dawn crashes if its GPU object is collected while a device lives: hold every one we create.
const liveGpus = new Set<GPU>();

async function adapterFrom(gpu: GPU): Promise<GPUAdapter | null> {
  return (await gpu.requestAdapter()) ?? (await gpu.requestAdapter({ featureLevel: 'compatibility' } as GPURequestAdapterOptions));
}

async function nodeAdapter(backends: readonly (readonly string[])[]): Promise<{ adapter: GPUAdapter; gpu: GPU } | null> {
  let webgpu: { create(flags: string[]): GPU; globals: object };
  try {
    const name = 'webgpu'; // a variable, so browser bundlers leave this Node-only import alone
    webgpu = await import(/* @vite-ignore */ name);
  } catch {
    return null;
  }
  // Buffer-usage and map-mode constants for code that expects the browser globals.
  for (const [k, v] of Object.entries(webgpu.globals)) if (!(k in globalThis)) (globalThis as Record<string, unknown>)[k] = v;
  process.env.EGL_PLATFORM ??= 'surfaceless'; // Mesa's EGL without a display
  for (const flags of backends) {
    const gpu = webgpu.create([...NODE_FLAGS, ...flags]);
    const adapter = await adapterFrom(gpu);
    if (adapter) return { adapter, gpu };
  }
  return null;
}

export async function acquireDevice(needs: LimitNeeds = {}, backends: readonly (readonly string[])[] = NODE_BACKENDS): Promise<AcquiredDevice> {
  const navigatorGpu = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  let found: { adapter: GPUAdapter; gpu?: GPU } | null = null;
  if (navigatorGpu) {
    const adapter = await adapterFrom(navigatorGpu);
    found = adapter ? { adapter } : null;
  } else if (typeof process !== 'undefined' && process.versions?.node) {
    found = await nodeAdapter(backends);
  }
  if (!found) throw new WebGpuModelError(NO_ADAPTER_MESSAGE);
  const { adapter, gpu } = found;
  const requiredLimits: Record<string, number> = {};
  for (const [name, need] of Object.entries(needs) as [keyof LimitNeeds, number][]) {
    const available = adapter.limits[name];
    if (need > available) throw new WebGpuModelError(`the WebGPU adapter allows ${name} = ${available}, the model needs ${need}`);
    if (need > DEFAULT_LIMITS[name]) requiredLimits[name] = need;
  }
  if (gpu) liveGpus.add(gpu);
  // Timestamp queries, where the adapter has them, let profileSteps() report GPU times per dispatch.
  const requiredFeatures: GPUFeatureName[] = adapter.features.has('timestamp-query') ? ['timestamp-query'] : [];
  const device = await adapter.requestDevice({ requiredLimits, requiredFeatures });
  const info = adapter.info ?? ({} as Partial<GPUAdapterInfo>);
  return {
    device,
    adapter: [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ') || 'unnamed adapter',
    release() {
      device.destroy();
      if (gpu) liveGpus.delete(gpu);
    },
  };
}
