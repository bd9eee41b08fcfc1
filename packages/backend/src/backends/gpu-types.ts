// The few WebGPU interfaces this package touches, declared here so that it needs no @webgpu/types globals.

export interface GpuAdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
}

export interface GpuAdapterLike {
  readonly info?: GpuAdapterInfoLike;
  readonly limits: Record<string, number>;
  readonly features: { has(name: string): boolean };
  readonly featureLevel?: string;
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
}
