// WebGPU in Node through Dawn (the optional `webgpu` package). On a machine without a GPU this runs on Mesa's
// llvmpipe through OpenGL ES at the compatibility feature level; on a real GPU Dawn's default backend is used.
// Run alone with `pnpm exec vitest run src/webgpu-node.test.ts`.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { describeBackend } from './describe-backend.js';
import { BackendError } from './errors.js';
import { initBackend } from './init-backend.js';
import { opCases } from './ops/op-cases.js';
import { maxDiff, runOn, webGpuSkipReason } from './ops/test-tensors.js';
import type { BackendChoice } from './types.js';

const skip = webGpuSkipReason();
if (skip) console.warn(skip);

describe.skipIf(skip)('webgpu in Node (Dawn): no adapter', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'cpu' });
  });

  test('an explicit webgpu whose Dawn attempts find no adapter throws a BackendError listing each attempt', async () => {
    const attempt = { dawnOptions: ['backend=opengles', 'adapter=no-such-adapter'], featureLevel: 'compatibility' as const };
    const err = await initBackend({ backend: 'webgpu', webgpu: { dawnAttempts: [attempt] } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect((err as BackendError).message).toMatch(
      /^backend 'webgpu': Dawn found no adapter \(\[backend=opengles adapter=no-such-adapter\] at compatibility: (no adapter|.*no-such-adapter)/,
    );
    expect(tf.getBackend()).toBe('cpu'); // the backend in use is untouched
  });
});

describe.skipIf(skip)('webgpu in Node (Dawn)', () => {
  let choice: BackendChoice;
  const notices: string[] = [];
  beforeAll(async () => {
    await initBackend({ backend: 'cpu' });
    choice = await initBackend({ backend: 'webgpu', onNotice: (n) => notices.push(n) });
  });

  test('initBackend({ backend: "webgpu" }) chooses webgpu, reports the adapter, and a notice when it is software', () => {
    expect(choice.backend).toBe('webgpu');
    expect(tf.getBackend()).toBe('webgpu');
    expect(choice.adapterInfo).toBeDefined();
    expect(['core', 'compatibility']).toContain(choice.adapterInfo?.featureLevel);
    if (choice.adapterInfo?.software) {
      expect(choice.notice).toMatch(/^webgpu: using the software adapter '.+' \(no GPU\); expect it to be slower than wasm$/);
      expect(notices).toEqual([choice.notice]);
    } else {
      expect(choice.notice).toBeUndefined();
      expect(notices).toEqual([]);
    }
    console.log(`webgpu adapter: ${JSON.stringify(choice.adapterInfo)}`);
  });

  test('a preference list never takes a software adapter; named explicitly it is reused', async () => {
    const pref = await initBackend({ prefer: ['webgpu', 'cpu'] });
    if (choice.adapterInfo?.software) {
      expect(pref.backend).toBe('cpu');
      const name = choice.adapterInfo.device || choice.adapterInfo.description;
      expect(pref.reasons.webgpu).toBe(
        `skipped software adapter '${name}': name webgpu explicitly (backend: 'webgpu', --backend webgpu) to use it`,
      );
      const allowed = await initBackend({ prefer: ['webgpu', 'cpu'], webgpu: { allowSoftwareAdapter: true } });
      expect(allowed.backend).toBe('webgpu');
      expect(allowed.notice).toBe(choice.notice);
    } else {
      expect(pref.backend).toBe('webgpu');
      expect(pref.reasons.cpu).toBe("not tried: 'webgpu' came earlier in the preference");
    }
    await initBackend({ backend: 'webgpu' });
  });

  test('a second initBackend reuses the initialised backend and reports the same adapter', async () => {
    await tf.setBackend('cpu');
    const again = await initBackend({ backend: 'webgpu' });
    expect(tf.getBackend()).toBe('webgpu');
    expect(again.adapterInfo).toEqual(choice.adapterInfo);
    expect((await describeBackend()).adapterInfo).toEqual(choice.adapterInfo); // without the choice, from the backend
  });

  test('describeBackend names the adapter and counts GPU memory', async () => {
    const r = await describeBackend(choice);
    expect(r.backend).toBe('webgpu');
    expect(r.adapterInfo).toEqual(choice.adapterInfo);
    expect(r.memory?.numBytesInGPU).toBeTypeOf('number');
    expect(r.summary).toMatch(new RegExp(`^webgpu \\(.*${choice.adapterInfo?.featureLevel}${choice.adapterInfo?.software ? ", software" : ""}\\) · \\d+ tensors, `));
    console.log(r.summary);
  });

  test('a GPU validation error (a WGSL that does not compile) is thrown as a BackendError on the next read, once', async () => {
    await initBackend({ backend: 'webgpu' });
    const device = (tf.backend() as unknown as { device: { createShaderModule(d: object): unknown } }).device;
    device.createShaderModule({ code: 'fn f() { let x: f32 = 1i; }', label: 'BrokenOnPurpose' });
    const t = tf.tensor1d([1, 2, 3]);
    const err = await t.data().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect((err as BackendError).message).toMatch(
      /^backend 'webgpu': a GPU error made results since the last read invalid: GPUValidationError: .*'f32'.*'i32'.*BrokenOnPurpose/,
    );
    expect(Array.from(await t.data())).toEqual([1, 2, 3]); // reported once; later work reads normally
    t.dispose();
  });

  for (const c of opCases()) {
    test(`${c.name}: equals cpu within 1e-4`, async () => {
      const cpu = await runOn('cpu', c.inputs, c.dtypes, c.f);
      const gpu = await runOn('webgpu', c.inputs, c.dtypes, c.f);
      expect(gpu.map((t) => t.shape)).toEqual(cpu.map((t) => t.shape));
      for (let k = 0; k < cpu.length; k++) expect(maxDiff(gpu[k].data, cpu[k].data), `output ${k}`).toBeLessThan(1e-4);
    });
  }
});
