// Which WebGPU adapters are software rasterizers. Browser-safe (no Node module).
import type { GpuAdapterInfoLike } from './gpu-types.js';

/**
 * Names of CPU implementations of Vulkan / OpenGL / D3D that WebGPU adapters report in their info: Mesa's llvmpipe
 * (OpenGL ES, what Dawn finds on a Linux machine without a GPU), softpipe and lavapipe (Vulkan), Google's
 * SwiftShader (Chromium's fallback: vendor 'google', architecture 'swiftshader'), and Windows' WARP
 * ("Microsoft Basic Render Driver").
 */
const SOFTWARE_NAMES = /llvmpipe|softpipe|lavapipe|swiftshader|microsoft basic render driver|\bwarp\b/i;

/** What an adapter says about itself, in one place: the info fields and both spellings of the fallback flag. */
export interface AdapterIdentity {
  info: GpuAdapterInfoLike & { isFallbackAdapter?: boolean };
  /** The older `GPUAdapter.isFallbackAdapter` (Chromium before `info.isFallbackAdapter`). */
  isFallbackAdapter?: boolean;
}

/**
 * Why this adapter is a software rasterizer ("fallback adapter", "llvmpipe in device '...'"), or null when it
 * looks like a real GPU. A fallback adapter is one the browser itself marks as slow (WebGPU spec §4.3.1).
 */
export function softwareAdapterReason(a: AdapterIdentity): string | null {
  if (a.info.isFallbackAdapter === true || a.isFallbackAdapter === true) return 'the adapter says it is a fallback adapter';
  for (const field of ['vendor', 'architecture', 'device', 'description'] as const) {
    const value = a.info[field] ?? '';
    const hit = SOFTWARE_NAMES.exec(value);
    if (hit) return `${field} '${value}' names ${hit[0]}`;
  }
  return null;
}

/** The adapter's most telling name, for messages: the device, else the description, else the vendor. */
export function adapterName(info: GpuAdapterInfoLike): string {
  const name = info.device || info.description || info.vendor || 'unnamed adapter';
  // Chromium's SwiftShader reports only vendor 'google' and architecture 'swiftshader': say both
  const arch = info.architecture;
  return arch && !name.toLowerCase().includes(arch.toLowerCase()) ? `${name} ${arch}` : name;
}
