import * as tf from '@tensorflow/tfjs-core';
import { BackendError } from '../errors.js';
import { isInitialised, isNode, messageOf } from '../runtime.js';
import type { AdapterSummary, WebGpuOptions } from '../types.js';
import type { FoundAdapter, GpuAdapterLike, GpuLike } from './gpu-types.js';

/** Browser: ask for a core adapter first, then a compatibility one (WebGPU on OpenGL ES / D3D11 devices). */
async function requestBrowserAdapter(gpu: GpuLike, opts: WebGpuOptions): Promise<FoundAdapter> {
  const powerPreference = opts.powerPreference ?? 'high-performance';
  const tried: string[] = [];
  for (const featureLevel of ['core', 'compatibility'] as const) {
    const adapter = await gpu.requestAdapter({ powerPreference, featureLevel });
    if (adapter !== null) return { adapter, featureLevel };
    tried.push(featureLevel);
  }
  throw new BackendError('webgpu', `navigator.gpu.requestAdapter() returned null (feature levels tried: ${tried.join(', ')})`);
}

async function summarise(found: FoundAdapter): Promise<AdapterSummary> {
  const a = found.adapter;
  const info = a.info ?? (a.requestAdapterInfo ? await a.requestAdapterInfo() : {});
  const summary: AdapterSummary = {
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    device: info.device ?? '',
    description: info.description ?? '',
    featureLevel: found.featureLevel,
  };
  if (found.dawnOptions) summary.dawnOptions = found.dawnOptions;
  return summary;
}

/** The device request tfjs-backend-webgpu makes in its own factory (base.ts), minus the canvas-only feature. */
function deviceDescriptor(adapter: GpuAdapterLike): object {
  const l = adapter.limits;
  return {
    requiredFeatures: adapter.features.has('timestamp-query') ? ['timestamp-query'] : [],
    requiredLimits: {
      maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
      maxComputeWorkgroupsPerDimension: l.maxComputeWorkgroupsPerDimension,
      maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
      maxBufferSize: l.maxBufferSize,
      maxComputeWorkgroupSizeX: l.maxComputeWorkgroupSizeX,
      maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
    },
  };
}

/**
 * WebGPU through tfjs-backend-webgpu. Feature detection: `navigator.gpu` and a non-null adapter in the browser;
 * in Node the optional `webgpu` package (Dawn), see webgpu-node.ts. We register our own factory for 'webgpu'
 * because tfjs's asks for a core adapter only, which compatibility-only adapters (Mesa llvmpipe via OpenGL ES)
 * do not give. Read GPU tensors with `await t.data()`: dataSync() blocks on a GPU readback.
 */
export async function initWebGpu(opts: WebGpuOptions = {}): Promise<AdapterSummary> {
  if (isInitialised('webgpu')) {
    // initialised before (by an earlier call): reuse it, and the adapter it was made with
    await setWebGpu();
    return keptSummary() ?? { vendor: '', architecture: '', device: '', description: '', featureLevel: 'core' };
  }
  const gpu = (globalThis as { navigator?: { gpu?: GpuLike } }).navigator?.gpu;
  let found: FoundAdapter;
  if (gpu !== undefined && !(isNode() && opts.dawnAttempts !== undefined)) {
    found = await requestBrowserAdapter(gpu, opts);
  } else if (isNode()) {
    // sets navigator.gpu and the GPU* globals, which tfjs-backend-webgpu reads when it is imported below
    found = await (await import('../webgpu-node.js')).requestDawnAdapter(opts);
  } else {
    throw new BackendError('webgpu', 'navigator.gpu is undefined: this browser has no WebGPU or it is disabled');
  }
  const summary = await summarise(found);
  const webgpu = await import('@tensorflow/tfjs-backend-webgpu');
  let device: unknown;
  try {
    device = await found.adapter.requestDevice(deviceDescriptor(found.adapter));
  } catch (e) {
    const name = summary.description || summary.device;
    throw new BackendError('webgpu', `adapter '${name}' refused a device: ${messageOf(e)}`);
  }
  try {
    tf.removeBackend('webgpu'); // the factory tfjs-backend-webgpu registered on import, if it did
  } catch {
    // not registered: nothing to remove
  }
  const info = found.adapter.info;
  // keeps the summary on the backend object, for later initBackend / describeBackend calls
  class BertkitWebGpuBackend extends webgpu.WebGPUBackend {
    readonly adapterSummary = summary;
  }
  tf.registerBackend('webgpu', () => new BertkitWebGpuBackend(device as never, info as never), 3);
  await setWebGpu();
  return summary;
}

/** The adapter summary kept on the initialised WebGPU backend (undefined if someone else initialised it). */
export function keptSummary(): AdapterSummary | undefined {
  const registry = (tf.engine() as unknown as { registry: Record<string, { adapterSummary?: AdapterSummary }> }).registry;
  return registry.webgpu?.adapterSummary;
}

async function setWebGpu(): Promise<void> {
  let ok: boolean;
  try {
    ok = await tf.setBackend('webgpu');
  } catch (e) {
    throw new BackendError('webgpu', `tf.setBackend("webgpu") failed: ${messageOf(e)}`);
  }
  if (!ok) throw new BackendError('webgpu', 'tf.setBackend("webgpu") returned false (the backend factory failed)');
}
