/** The backends {@link initBackend} can pick, by the name users know them under. */
export type BackendName = 'webgpu' | 'tfjs-node' | 'tfjs-node-gpu' | 'wasm' | 'cpu';

export const BACKEND_NAMES: readonly BackendName[] = ['webgpu', 'tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'];

/**
 * The one default order, for the library and every app: a real GPU (WebGPU) first, then native TensorFlow where
 * it is installed, then SIMD wasm, then plain JS. A software WebGPU adapter (llvmpipe, SwiftShader, WARP) is
 * skipped unless WebGPU is named explicitly: on a machine without a GPU it is slower than wasm (the tiny BERT's
 * forward: 498 ms on Dawn/llvmpipe against 144 ms on wasm, measured by a user).
 */
export const DEFAULT_PREFERENCE: readonly BackendName[] = ['webgpu', 'tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'];

/** One way to ask Dawn (the `webgpu` npm package) for an adapter in Node. */
export interface DawnAttempt {
  /** Options for `create()` of the `webgpu` package, e.g. `['backend=opengles']`. */
  dawnOptions: string[];
  /** WebGPU feature level: 'core', or 'compatibility' (what OpenGL ES / llvmpipe adapters offer). */
  featureLevel: 'core' | 'compatibility';
  /**
   * Try this attempt only when WebGPU is named explicitly or software adapters are allowed: on machines without a
   * GPU it finds only a software rasterizer, and Dawn prints warnings while looking.
   */
  explicitOnly?: boolean;
}

export interface WebGpuOptions {
  /** Passed to `requestAdapter`. Default 'high-performance'. */
  powerPreference?: 'low-power' | 'high-performance';
  /**
   * Node only: the adapter requests tried in order. Default: Dawn's own backend choice (Vulkan / Metal / D3D12)
   * at 'core', then OpenGL ES at 'compatibility' (Mesa llvmpipe and other GL-only machines).
   */
  dawnAttempts?: DawnAttempt[];
  /**
   * Use a software adapter (llvmpipe, lavapipe, SwiftShader, WARP) even when WebGPU was not named explicitly.
   * Default false: by default such an adapter is skipped, with a reason, and the next backend is tried.
   */
  allowSoftwareAdapter?: boolean;
}

export interface InitBackendOptions {
  /** Use exactly this backend; throw a BackendError when it cannot be initialised. */
  backend?: BackendName;
  /** Try these in order and take the first that initialises. Default {@link DEFAULT_PREFERENCE}. */
  prefer?: BackendName[];
  /**
   * Where the tfjs-backend-wasm `.wasm` files are served from (browser): a URL prefix ending in '/', or a map
   * from file name to URL. In Node they are found in the installed package.
   */
  wasmPaths?: string | Record<string, string>;
  /**
   * wasm in Node: XNNPACK threads, running tfjs-backend-wasm's threaded SIMD build on worker_threads; `'cores'`
   * for the machine's cores. Default 1, the single-threaded SIMD build: on a 2-core VM the threaded build with 2
   * threads only matched it (a 1024² matmul 71 vs 70 ms; 162 ms on one thread of the threaded build), so threads
   * pay off only with more cores. Fixed once the wasm backend has started in a process. (Browsers:
   * tfjs-backend-wasm decides, from cross-origin isolation.)
   */
  wasmThreads?: number | 'cores';
  webgpu?: WebGpuOptions;
  /**
   * Let native backends print their own diagnostics: Dawn's warnings (missing libvulkan, reduced limits, with C++
   * source paths) and WebGPU validation errors. Default false: they are kept out of the terminal, and GPU errors
   * are thrown as BackendError on the next read instead.
   */
  verbose?: boolean;
  /** Called with {@link BackendChoice.notice} when there is one (e.g. a software adapter is in use). */
  onNotice?: (notice: string) => void;
}

/** What the chosen WebGPU adapter says about itself. */
export interface AdapterSummary {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  featureLevel: 'core' | 'compatibility';
  /** A software rasterizer (llvmpipe, SwiftShader, ...), not a GPU: used only when WebGPU was asked for. */
  software: boolean;
  /** Node only: the Dawn options that gave this adapter. */
  dawnOptions?: string[];
}

export interface BackendChoice {
  backend: BackendName;
  /** For every other backend, why it was not chosen (failed, not tried, not asked for). */
  reasons: Partial<Record<BackendName, string>>;
  /** Set when the backend is WebGPU. */
  adapterInfo?: AdapterSummary;
  /**
   * One line for the user when the choice deserves it, e.g. "webgpu: using the software adapter 'llvmpipe...'
   * (no GPU); expect it to be slower than wasm". The library never prints it: apps do (also via `onNotice`).
   */
  notice?: string;
}
