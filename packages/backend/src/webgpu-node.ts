// Node only: WebGPU through Dawn, the `webgpu` npm package (an optional peer dependency). Reached through a dynamic
// import from backends/webgpu.ts (or from the ./node entry), never from a browser bundle's static graph.
import type { FoundAdapter, GpuLike } from './backends/gpu-types.js';
import { BackendError } from './errors.js';
import { importOptional, messageOf } from './runtime.js';
import type { DawnAttempt, WebGpuOptions } from './types.js';

interface DawnModule {
  create(options: string[]): GpuLike;
  globals: Record<string, unknown>;
}

type NodeProcess = {
  env: Record<string, string | undefined>;
  platform: string;
  dlopen(module: { exports: unknown }, filename: string): void;
};

/**
 * Real GPUs first (Dawn picks Vulkan / Metal / D3D12, core feature level); then OpenGL ES at the compatibility
 * feature level, which is what Mesa's llvmpipe offers on a machine without a GPU (Dawn rejects lavapipe). The
 * second is tried only when WebGPU is named explicitly (or software adapters are allowed).
 */
export const DEFAULT_DAWN_ATTEMPTS: readonly DawnAttempt[] = [
  { dawnOptions: [], featureLevel: 'core' },
  { dawnOptions: ['backend=opengles'], featureLevel: 'compatibility', explicitOnly: true },
];

/** How requestDawnAdapter was reached. */
export interface DawnContext {
  /** WebGPU was named explicitly, or software adapters are allowed: try `explicitOnly` attempts too. */
  explicit: boolean;
}

/** Installs Dawn's GPU* constants and `navigator.gpu`, leaving anything already defined alone. */
function installGlobals(dawn: DawnModule, gpu: GpuLike): void {
  const g = globalThis as Record<string, unknown>;
  for (const [k, v] of Object.entries(dawn.globals)) if (g[k] === undefined) g[k] = v;
  if (g.navigator === undefined) g.navigator = {};
  Object.defineProperty(g.navigator as object, 'gpu', { value: gpu, configurable: true, writable: true });
}

/** Whether this attempt makes Dawn load Vulkan: its default backend on Linux, or `backend=vulkan` / `vk`. */
function usesVulkan(attempt: DawnAttempt, platform: string): boolean {
  const backend = attempt.dawnOptions.find((o) => o.startsWith('backend='))?.slice('backend='.length).toLowerCase();
  return backend === undefined ? platform === 'linux' : backend === 'vulkan' || backend === 'vk';
}

/**
 * Why Vulkan cannot load (the loader library is missing), or null when it can. Dawn would find out by trying and
 * print "Warning: Couldn't load Vulkan ... (.../BackendVk.cpp:368)" to stderr; dlopen with the same name and the
 * same search path finds out quietly. A loadable library is not a Node addon, so Node then throws "did not
 * self-register", which means it is there.
 */
function vulkanMissing(proc: NodeProcess): string | null {
  try {
    proc.dlopen({ exports: {} }, 'libvulkan.so.1');
  } catch (e) {
    const m = messageOf(e);
    if (/cannot open shared object file|no such file/i.test(m)) return m;
  }
  return null;
}

/**
 * Finds a Dawn adapter by trying `opts.dawnAttempts` (default {@link DEFAULT_DAWN_ATTEMPTS}) in order. Returns it
 * with `install`, which sets `navigator.gpu` and the GPU* globals tfjs-backend-webgpu reads: call it once the
 * adapter is accepted (an installed `navigator.gpu` keeps Node from exiting).
 */
export async function requestDawnAdapter(opts: WebGpuOptions = {}, ctx: DawnContext = { explicit: true }): Promise<FoundAdapter> {
  let dawn: DawnModule;
  try {
    dawn = await importOptional<DawnModule>('webgpu');
  } catch (e) {
    throw new BackendError(
      'webgpu',
      `the 'webgpu' package (Dawn for Node, an optional peer of @bertkit/backend) is not installed: ${messageOf(e)}; ` +
        'to use WebGPU in Node, install it next to @bertkit/backend: `npm i webgpu` (or `pnpm add webgpu`)',
    );
  }
  // Mesa's EGL needs no display when told so; without it, headless machines fail to open an OpenGL ES context.
  const proc = globalThis.process as unknown as NodeProcess;
  if (proc.platform === 'linux' && proc.env.EGL_PLATFORM === undefined) proc.env.EGL_PLATFORM = 'surfaceless';
  const powerPreference = opts.powerPreference ?? 'high-performance';
  const tryAll = ctx.explicit || opts.allowSoftwareAdapter === true;
  const tried: string[] = [];
  let held = false;
  for (const attempt of opts.dawnAttempts ?? DEFAULT_DAWN_ATTEMPTS) {
    const label = `[${attempt.dawnOptions.join(' ') || 'default'}] at ${attempt.featureLevel}`;
    if (attempt.explicitOnly && !tryAll) {
      held = true;
      tried.push(`${label}: tried only when webgpu is named (it finds software rasterizers such as llvmpipe)`);
      continue;
    }
    const noVulkan = usesVulkan(attempt, proc.platform) ? vulkanMissing(proc) : null;
    if (noVulkan !== null) {
      tried.push(`${label}: no Vulkan (${noVulkan})`);
      continue;
    }
    try {
      const gpu = dawn.create(attempt.dawnOptions);
      const adapter = await gpu.requestAdapter({ powerPreference, featureLevel: attempt.featureLevel });
      if (adapter !== null) {
        const install = () => installGlobals(dawn, gpu);
        return { adapter, featureLevel: attempt.featureLevel, dawnOptions: attempt.dawnOptions, install };
      }
      tried.push(`${label}: no adapter`);
    } catch (e) {
      tried.push(`${label}: ${messageOf(e)}`);
    }
  }
  const hint = held
    ? "name webgpu explicitly (backend: 'webgpu', --backend webgpu) to try the software path"
    : "without a GPU, install Mesa's EGL/GLES (libegl-mesa0, libgles2)";
  throw new BackendError('webgpu', `Dawn found no adapter (${tried.join('; ')}); ${hint}`);
}
