/** The backends {@link initBackend} can pick, by the name users know them under. */
export type BackendName = 'webgpu' | 'tfjs-node' | 'tfjs-node-gpu' | 'wasm' | 'cpu';

export const BACKEND_NAMES: readonly BackendName[] = ['webgpu', 'tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'];

/** Default preference: a GPU first, then native TensorFlow, then SIMD wasm, then plain JS. */
export const DEFAULT_PREFERENCE: readonly BackendName[] = BACKEND_NAMES;

/** One way to ask Dawn (the `webgpu` npm package) for an adapter in Node. */
export interface DawnAttempt {
  /** Options for `create()` of the `webgpu` package, e.g. `['backend=opengles']`. */
  dawnOptions: string[];
  /** WebGPU feature level: 'core', or 'compatibility' (what OpenGL ES / llvmpipe adapters offer). */
  featureLevel: 'core' | 'compatibility';
}

export interface WebGpuOptions {
  /** Passed to `requestAdapter`. Default 'high-performance'. */
  powerPreference?: 'low-power' | 'high-performance';
  /**
   * Node only: the adapter requests tried in order. Default: Dawn's own backend choice (Vulkan / Metal / D3D12)
   * at 'core', then OpenGL ES at 'compatibility' (Mesa llvmpipe and other GL-only machines).
   */
  dawnAttempts?: DawnAttempt[];
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
  webgpu?: WebGpuOptions;
}

/** What the chosen WebGPU adapter says about itself. */
export interface AdapterSummary {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  featureLevel: 'core' | 'compatibility';
  /** Node only: the Dawn options that gave this adapter. */
  dawnOptions?: string[];
}

export interface BackendChoice {
  backend: BackendName;
  /** For every other backend, why it was not chosen (failed, not tried, not asked for). */
  reasons: Partial<Record<BackendName, string>>;
  /** Set when the backend is WebGPU. */
  adapterInfo?: AdapterSummary;
}
