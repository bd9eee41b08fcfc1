import { describe, expect, test } from 'vitest';
import { adapterName, softwareAdapterReason } from './software-adapter.js';

describe('softwareAdapterReason', () => {
  test('Dawn on Mesa llvmpipe (OpenGL ES): named in the device', () => {
    const info = { vendor: '', architecture: '', device: 'llvmpipe-llvm-15-0-6-256-bits-', description: 'OpenGL version OpenGL ES 3.2 Mesa 22.3.6' };
    expect(softwareAdapterReason({ info })).toBe("device 'llvmpipe-llvm-15-0-6-256-bits-' names llvmpipe");
  });

  test('Vulkan lavapipe, as its description reads', () => {
    const info = { vendor: 'mesa', architecture: '', device: '', description: 'llvmpipe (LLVM 15.0.6, 256 bits)' };
    expect(softwareAdapterReason({ info })).toBe("description 'llvmpipe (LLVM 15.0.6, 256 bits)' names llvmpipe");
  });

  test('Chromium on SwiftShader: architecture, or the fallback flag in either place', () => {
    expect(softwareAdapterReason({ info: { vendor: 'google', architecture: 'swiftshader' } })).toBe(
      "architecture 'swiftshader' names swiftshader",
    );
    expect(softwareAdapterReason({ info: { description: 'SwiftShader Device (Subzero)' } })).toMatch(/names SwiftShader/);
    expect(softwareAdapterReason({ info: { vendor: 'google', isFallbackAdapter: true } })).toBe('the adapter says it is a fallback adapter');
    expect(softwareAdapterReason({ info: {}, isFallbackAdapter: true })).toBe('the adapter says it is a fallback adapter');
  });

  test('Windows WARP', () => {
    expect(softwareAdapterReason({ info: { description: 'Microsoft Basic Render Driver' } })).toMatch(/names Microsoft Basic Render Driver/);
  });

  test('real GPUs are not software', () => {
    expect(softwareAdapterReason({ info: { vendor: 'nvidia', architecture: '', device: 'nvidia-h100-80gb-hbm3' } })).toBeNull();
    expect(softwareAdapterReason({ info: { vendor: 'apple', architecture: 'metal-3', isFallbackAdapter: false } })).toBeNull();
    expect(softwareAdapterReason({ info: { vendor: 'intel', architecture: 'gen-12lp', description: 'Intel(R) Iris(R) Xe Graphics' } })).toBeNull();
  });

  test('adapterName prefers the device, then the description', () => {
    expect(adapterName({ device: 'd', description: 'x' })).toBe('d');
    expect(adapterName({ device: '', description: 'x' })).toBe('x');
    expect(adapterName({})).toBe('unnamed adapter');
    expect(adapterName({ vendor: 'google', architecture: 'swiftshader' })).toBe('google swiftshader'); // Chromium's SwiftShader
    expect(adapterName({ device: 'llvmpipe (LLVM 15)', architecture: 'llvmpipe' })).toBe('llvmpipe (LLVM 15)');
  });
});
