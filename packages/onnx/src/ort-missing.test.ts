// Without onnxruntime-node the engine fails with an error that names the package and how to install it.
import { describe, expect, it, vi } from 'vitest';
import { OrtEngineError } from './errors.js';
import { createOrtBert } from './ort-bert.js';
import { createOrtEncoder } from './ort-encoder.js';

vi.mock('onnxruntime-node', () => {
  throw new Error("Cannot find package 'onnxruntime-node'");
});

describe('createOrtEncoder without onnxruntime-node', () => {
  it('says which package is missing and how to install it', async () => {
    const e = await createOrtEncoder(new Uint8Array(0)).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(OrtEngineError);
    expect((e as Error).message).toMatch(/optional package onnxruntime-node.*npm install onnxruntime-node/);
  });

  it('createOrtBert (the engine of --engine ort) says the same', async () => {
    const config = { architectures: ['BertModel'] } as unknown as Parameters<typeof createOrtBert>[0]['config'];
    const e = await createOrtBert({ config, tensors: new Map() }, { head: 'base' }).catch((x: unknown) => x);
    expect((e as Error).message).toMatch(/optional package onnxruntime-node.*npm install onnxruntime-node/);
  });
});
