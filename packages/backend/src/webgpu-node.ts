// Node only: WebGPU through Dawn, the optional `webgpu` npm package. Reached through a dynamic import from
// backends/webgpu.ts (or from the ./node entry), never from a browser bundle's static graph.
import type { FoundAdapter, GpuLike } from './backends/gpu-types.js';
import { BackendError } from './errors.js';
import { importOptional, messageOf } from './runtime.js';
import type { DawnAttempt, WebGpuOptions } from './types.js';

interface DawnModule {
  create(options: string[]): GpuLike;
  globals: Record<string, unknown>;
}

/**
 * Real GPUs first (Dawn picks Vulkan / Metal / D3D12, core feature level); then OpenGL ES at the compatibility
 * feature level, which is what Mesa's llvmpipe offers on a machine without a GPU (Dawn rejects lavapipe).
 */
export const DEFAULT_DAWN_ATTEMPTS: readonly DawnAttempt[] = [
  { dawnOptions: [], featureLevel: 'core' },
  { dawnOptions: ['backend=opengles'], featureLevel: 'compatibility' },
];

/** Installs Dawn's GPU* constants and `navigator.gpu`, leaving anything already defined alone. */
function installGlobals(dawn: DawnModule, gpu: GpuLike): void {
  const g = globalThis as Record<string, unknown>;
  for (const [k, v] of Object.entries(dawn.globals)) if (g[k] === undefined) g[k] = v;
  if (g.navigator === undefined) g.navigator = {};
  Object.defineProperty(g.navigator as object, 'gpu', { value: gpu, configurable: true, writable: true });
}

/** Finds a Dawn adapter by trying `opts.dawnAttempts` (default {@link DEFAULT_DAWN_ATTEMPTS}) in order. */
export async function requestDawnAdapter(opts: WebGpuOptions = {}): Promise<FoundAdapter> {
  let dawn: DawnModule;
  try {
    dawn = await importOptional<DawnModule>('webgpu');
  } catch (e) {
    throw new BackendError('webgpu', `the optional 'webgpu' package (Dawn for Node) is not installed: ${messageOf(e)}`);
  }
  // Mesa's EGL needs no display when told so; without it, headless machines fail to open an OpenGL ES context.
  const proc = globalThis.process as unknown as { env: Record<string, string | undefined>; platform: string };
  if (proc.platform === 'linux' && proc.env.EGL_PLATFORM === undefined) proc.env.EGL_PLATFORM = 'surfaceless';
  const powerPreference = opts.powerPreference ?? 'high-performance';
  const tried: string[] = [];
  for (const attempt of opts.dawnAttempts ?? DEFAULT_DAWN_ATTEMPTS) {
    const label = `[${attempt.dawnOptions.join(' ') || 'default'}] at ${attempt.featureLevel}`;
    try {
      const gpu = dawn.create(attempt.dawnOptions);
      const adapter = await gpu.requestAdapter({ powerPreference, featureLevel: attempt.featureLevel });
      if (adapter !== null) {
        installGlobals(dawn, gpu);
        return { adapter, featureLevel: attempt.featureLevel, dawnOptions: attempt.dawnOptions };
      }
      tried.push(`${label}: no adapter`);
    } catch (e) {
      tried.push(`${label}: ${messageOf(e)}`);
    }
  }
  throw new BackendError(
    'webgpu',
    `Dawn found no adapter (${tried.join('; ')}); without a GPU, install Mesa's EGL/GLES (libegl-mesa0, libgles2)`,
  );
}
