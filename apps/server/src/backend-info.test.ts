import { describe, expect, it } from 'vitest';
import { describeBackendChoice } from './backend-info.js';

describe('describeBackendChoice', () => {
  it('names the backend, the adapter (software or not) and the notice', () => {
    expect(describeBackendChoice({ backend: 'wasm', reasons: {} })).toBe('wasm');
    const adapterInfo = { vendor: 'mesa', architecture: '', device: 'llvmpipe (LLVM 15.0.6, 256 bits)', description: 'OpenGL ES 3.2', featureLevel: 'compatibility' as const, software: true };
    const notice = "webgpu: using the software adapter 'llvmpipe' (no GPU); expect it to be slower than wasm";
    expect(describeBackendChoice({ backend: 'webgpu', reasons: {}, adapterInfo, notice })).toBe(`webgpu on 'llvmpipe (LLVM 15.0.6, 256 bits)' (software); ${notice}`);
    expect(describeBackendChoice({ backend: 'webgpu', reasons: {}, adapterInfo: { ...adapterInfo, device: 'NVIDIA H200', software: false } })).toBe("webgpu on 'NVIDIA H200'");
  });
});
