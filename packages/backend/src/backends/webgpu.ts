import * as tf from '@tensorflow/tfjs-core';
import { BackendError } from '../errors.js';
import { isInitialised, isNode, messageOf } from '../runtime.js';
import type { AdapterSummary, WebGpuOptions } from '../types.js';
import type { FoundAdapter, GpuAdapterLike, GpuLike } from './gpu-types.js';
import { GpuErrorLog, type GpuDeviceEventsLike } from './gpu-errors.js';
import { adapterName, softwareAdapterReason } from './software-adapter.js';
import { registerWebGpuCast } from './webgpu-cast.js';
import { fixIntTranspose } from './webgpu-transpose.js';

/** How initBackend reached WebGPU. */
export interface WebGpuContext {
  /** WebGPU was named (`backend: 'webgpu'`): a software adapter is used, with a notice, instead of skipped. */
  explicit: boolean;
  /** Let Dawn / the browser print GPU errors too. */
  verbose: boolean;
}

export interface WebGpuInit {
  summary: AdapterSummary;
  /** Set when the adapter is a software rasterizer. */
  notice?: string;
}

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
    software: softwareAdapterReason({ info, isFallbackAdapter: a.isFallbackAdapter }) !== null,
  };
  if (found.dawnOptions) summary.dawnOptions = found.dawnOptions;
  return summary;
}

/** Throws the "skipped" BackendError for a software adapter that was not asked for; else the notice, if any. */
function acceptAdapter(summary: AdapterSummary, allowed: boolean): string | undefined {
  if (!summary.software) return undefined;
  const name = adapterName(summary);
  if (!allowed) {
    throw new BackendError(
      'webgpu',
      `skipped software adapter '${name}': name webgpu explicitly (backend: 'webgpu', --backend webgpu) to use it`,
    );
  }
  return `webgpu: using the software adapter '${name}' (no GPU); expect it to be slower than wasm`;
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
 * in Node the optional `webgpu` package (Dawn), see webgpu-node.ts. A software adapter is skipped (BackendError)
 * unless WebGPU was named or `allowSoftwareAdapter` is set. We register our own factory for 'webgpu' because
 * tfjs's asks for a core adapter only, which compatibility-only adapters (Mesa llvmpipe via OpenGL ES) do not
 * give; its backend throws GPU errors on the next read (gpu-errors.ts), and Cast is corrected (webgpu-cast.ts).
 * Read GPU tensors with `await t.data()`: dataSync() blocks on a GPU readback.
 */
export async function initWebGpu(opts: WebGpuOptions = {}, ctx: WebGpuContext = { explicit: true, verbose: false }): Promise<WebGpuInit> {
  const allowed = ctx.explicit || opts.allowSoftwareAdapter === true;
  if (isInitialised('webgpu')) {
    // initialised before (by an earlier call): reuse it, and the adapter it was made with
    const kept = keptSummary();
    const notice = kept ? acceptAdapter(kept, allowed) : undefined;
    await setWebGpu();
    const summary = kept ?? { vendor: '', architecture: '', device: '', description: '', featureLevel: 'core', software: false };
    return notice === undefined ? { summary } : { summary, notice };
  }
  const gpu = (globalThis as { navigator?: { gpu?: GpuLike } }).navigator?.gpu;
  let found: FoundAdapter;
  if (gpu !== undefined && !(isNode() && opts.dawnAttempts !== undefined)) {
    found = await requestBrowserAdapter(gpu, opts);
  } else if (isNode()) {
    found = await (await import('../webgpu-node.js')).requestDawnAdapter(opts, { explicit: allowed });
  } else {
    throw new BackendError('webgpu', 'navigator.gpu is undefined: this browser has no WebGPU or it is disabled');
  }
  const summary = await summarise(found);
  const notice = acceptAdapter(summary, allowed);
  found.install?.(); // Node: navigator.gpu and the GPU* globals, read by tfjs-backend-webgpu when imported below
  const webgpu = await import('@tensorflow/tfjs-backend-webgpu');
  registerWebGpuCast(webgpu.webgpu_util);
  let device: unknown;
  try {
    device = await found.adapter.requestDevice(deviceDescriptor(found.adapter));
  } catch (e) {
    throw new BackendError('webgpu', `adapter '${adapterName(summary)}' refused a device: ${messageOf(e)}`);
  }
  try {
    tf.removeBackend('webgpu'); // the factory tfjs-backend-webgpu registered on import, if it did
  } catch {
    // not registered: nothing to remove
  }
  const info = found.adapter.info;
  const gpuErrors = new GpuErrorLog(device as GpuDeviceEventsLike, ctx.verbose);
  type Base = InstanceType<typeof webgpu.WebGPUBackend>;
  type DataId = Parameters<Base['read']>[0];
  type RunArgs = Parameters<Base['runWebGPUProgram']>;
  // keeps the summary on the backend object (for later initBackend / describeBackend calls), turns GPU errors
  // (a WGSL that does not compile, a lost device) into a BackendError on the next read, and fixes int32
  // transposes (webgpu-transpose.ts)
  class BertkitWebGpuBackend extends webgpu.WebGPUBackend {
    readonly adapterSummary = summary;
    override runWebGPUProgram(...[program, inputs, ...rest]: RunArgs) {
      const stored = inputs.length === 1 ? this.tensorMap.get(inputs[0].dataId).dtype : 'float32';
      return super.runWebGPUProgram(fixIntTranspose(program, stored), inputs, ...rest);
    }
    override async read(dataId: DataId) {
      const values = await super.read(dataId);
      gpuErrors.throwIfAny();
      return values;
    }
    override readSync(dataId: DataId) {
      const values = super.readSync(dataId);
      gpuErrors.throwIfAny();
      return values;
    }
  }
  tf.registerBackend('webgpu', () => new BertkitWebGpuBackend(device as never, info as never), 3);
  await setWebGpu();
  return notice === undefined ? { summary } : { summary, notice };
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
