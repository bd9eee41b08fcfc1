// The training loop on WebGPU (Dawn, e.g. on Mesa llvmpipe) against cpu: the same toy run with clipping that
// bites gives the same losses, norms and parameters within float32 rounding, AdamW updates every parameter in
// one dispatch, and a step reads back only when it logs. Skipped, with the reason, without Dawn or an adapter.
import { initBackend } from '@bertkit/backend';
import { countGpuCalls } from '@bertkit/test-utils/gpu-calls';
import * as tf from '@tensorflow/tfjs-core';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { AdamW } from './adamw.js';
import type { StepEvent } from './events.js';
import { train } from './loop.js';
import { constantSchedule } from './schedule.js';
import { toyData, toyLoss, toyParams } from '../test/toy-task.js';

function skipReason(): string | false {
  try {
    createRequire(import.meta.url).resolve('webgpu');
    return false;
  } catch {
    return "optional package 'webgpu' (Dawn for Node) is not installed: WebGPU training tests skipped";
  }
}

async function run(backend: 'cpu' | 'webgpu', steps: number, logEvery: number) {
  await initBackend({ backend });
  const params = toyParams();
  const optimizer = new AdamW();
  const norms: number[] = [];
  const r = await train({
    params, lossFn: toyLoss(params), data: toyData(), optimizer, schedule: constantSchedule(0.02), steps, logEvery, clipNorm: 0.5,
    onEvent: (e) => void (e.type === 'step' && norms.push((e as StepEvent).gradNorm)),
  });
  const values = await Promise.all([...params.values()].map(async (p) => Array.from(await p.data())));
  optimizer.dispose();
  tf.dispose([...params.values()]);
  return { losses: r.losses, norms, values: values.flat() };
}

const relDiff = (a: number[], b: number[]) => Math.max(...a.map((x, i) => Math.abs(x - b[i]))) / Math.max(...b.map(Math.abs));

const skip = skipReason();
if (skip) console.log(skip);
describe.skipIf(skip)('train on WebGPU', () => {
  it('matches cpu (losses, clipped norms, parameters) and reads back once per logged step', async () => {
    const cpu = await run('cpu', 12, 1);
    let gpu: Awaited<ReturnType<typeof run>>;
    try {
      gpu = await run('webgpu', 12, 1);
    } catch (e) {
      console.log(`no WebGPU adapter here (${(e as Error).message.split('\n')[0]}): skipped`);
      return;
    }
    expect(Math.max(...cpu.norms)).toBeGreaterThan(0.5); // clipping bites
    const errs = { losses: relDiff(gpu.losses, cpu.losses), norms: relDiff(gpu.norms, cpu.norms), params: relDiff(gpu.values, cpu.values) };
    console.log(`webgpu vs cpu, 12 clipped AdamW steps: ${JSON.stringify(errs)}`);
    expect(errs.losses).toBeLessThan(1e-5);
    expect(errs.norms).toBeLessThan(1e-5);
    expect(errs.params).toBeLessThan(1e-5);

    await initBackend({ backend: 'webgpu' });
    const counter = countGpuCalls();
    try {
      await run('webgpu', 4, 4); // compiled already; one logged step at the end
      expect(counter.read().mapAsyncs).toBe(1 + 5); // the one batched read, then the test's reads of 5 parameters
    } finally {
      counter.stop();
    }
  });
});
