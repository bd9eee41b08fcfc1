// Without the optional peer `webgpu`, WebGPU in Node fails with an error that names the package and how to opt in.
import { describe, expect, it, vi } from 'vitest';
import { BackendError } from './errors.js';
import { requestDawnAdapter } from './webgpu-node.js';

vi.mock('webgpu', () => {
  throw new Error("Cannot find package 'webgpu'");
});

describe('requestDawnAdapter without the webgpu package', () => {
  it('says which package is missing and how to install it', async () => {
    const e = await requestDawnAdapter().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(BackendError);
    expect((e as Error).message).toMatch(/'webgpu' package .*optional peer of @bertkit\/backend.*`npm i webgpu`/);
  });
});
