// The few WebGPU interfaces this package touches, declared here so that it needs no @webgpu/types globals.

export interface GpuAdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  /** Newer browsers and Dawn: a software (fallback) adapter. */
  isFallbackAdapter?: boolean;
}

export interface GpuAdapterLike {
  readonly info?: GpuAdapterInfoLike;
  readonly limits: Record<string, number>;
  readonly features: { has(name: string): boolean };
  readonly featureLevel?: string;
  /** Older browsers: a software (fallback) adapter. */
  readonly isFallbackAdapter?: boolean;
  requestAdapterInfo?(): Promise<GpuAdapterInfoLike>;
  requestDevice(descriptor?: object): Promise<unknown>;
}

export interface GpuLike {
  requestAdapter(options?: { powerPreference?: string; featureLevel?: string }): Promise<GpuAdapterLike | null>;
}

/** What a Dawn (`webgpu` npm package) or browser lookup found. */
export interface FoundAdapter {
  adapter: GpuAdapterLike;
  featureLevel: 'core' | 'compatibility';
  dawnOptions?: string[];
  /** Node: installs `navigator.gpu` and the GPU* globals of the Dawn instance that gave the adapter. */
  install?: () => void;
}
