import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@bertkit/backend';
import { describe, expect, it } from 'vitest';
import { AdamW } from './adamw.js';
import { skipItems, train, type CheckpointRequest } from './loop.js';
import { constantSchedule, linearWarmupDecay } from './schedule.js';
import type { StepEvent, TrainEvent } from './events.js';
import { toyData, toyLoss, toyParams } from '../test/toy-task.js';

const schedule = linearWarmupDecay({ peakLr: 0.05, warmupSteps: 3, totalSteps: 12 });

describe('train', () => {
  it('lowers the loss, emits typed events, and leaks no tensors', async () => {
    const params = toyParams();
    const optimizer = new AdamW();
    const events: TrainEvent[] = [];
    // Warm the optimizer state first so the tensor count below excludes its (long-lived) moments.
    const before = tf.memory().numTensors;
    const r = await train({
      params,
      lossFn: toyLoss(params),
      data: toyData(),
      optimizer,
      schedule: constantSchedule(0.02),
      steps: 60,
      logEvery: 20,
      rng: new Rng(1),
      tokensInBatch: (b) => b.x.length,
      onEvent: (e) => void events.push(e),
    });
    expect(r.reason).toBe('steps');
    expect(r.step).toBe(60);
    expect(r.dataPosition).toBe(60);
    expect(tf.memory().numTensors).toBe(before + 2 * params.size); // only AdamW's m and v
    const first = r.losses.slice(0, 5).reduce((a, b) => a + b) / 5;
    const last = r.losses.slice(-5).reduce((a, b) => a + b) / 5;
    expect(last).toBeLessThan(first * 0.7);
    expect(events.map((e) => e.type)).toEqual(['start', 'step', 'step', 'step', 'done']);
    const s = events[3] as StepEvent;
    expect(s.step).toBe(60);
    expect(s.lr).toBe(0.02);
    expect(s.loss).toBe(r.losses[59]);
    expect(s.metrics.mae).toBeGreaterThan(0);
    expect(s.tokensPerSec).toBeGreaterThan(0);
    expect(s.etaSec).toBe(0);
    optimizer.dispose();
    tf.dispose([...params.values()]);
  });

  it('accumulating 2 half-batches equals one step on the whole batch (up to float rounding)', async () => {
    const whole = [...take(toyData(5, 8), 3)];
    const halves = whole.flatMap((b) => [
      { x: b.x.slice(0, 4), y: b.y.slice(0, 4) },
      { x: b.x.slice(4), y: b.y.slice(4) },
    ]);
    const pa = toyParams();
    const pb = toyParams();
    const oa = new AdamW();
    const ob = new AdamW();
    const ra = await train({ params: pa, lossFn: toyLoss(pa), data: whole, optimizer: oa, schedule, steps: 3 });
    const rb = await train({ params: pb, lossFn: toyLoss(pb), data: halves, optimizer: ob, schedule, steps: 3, accumulate: 2 });
    expect(rb.dataPosition).toBe(6);
    for (let i = 0; i < 3; i++) expect(rb.losses[i]).toBeCloseTo(ra.losses[i], 5);
    for (const [name, v] of pa) {
      const a = v.dataSync();
      const b = pb.get(name)!.dataSync();
      for (let j = 0; j < a.length; j++) expect(b[j]).toBeCloseTo(a[j], 5);
    }
    tf.dispose([...pa.values(), ...pb.values()]);
    oa.dispose();
    ob.dispose();
  });

  it('stops when the data runs out, dropping an incomplete accumulation window', async () => {
    const params = toyParams();
    const opt = new AdamW();
    const r = await train({ params, lossFn: toyLoss(params), data: [...take(toyData(), 5)], optimizer: opt, schedule, steps: 10, accumulate: 2 });
    expect(r).toMatchObject({ step: 2, dataPosition: 4, reason: 'data' });
    tf.dispose([...params.values()]);
    opt.dispose();
  });

  it('resuming from an in-memory checkpoint repeats the uninterrupted losses bit for bit', async () => {
    const run = async (stopAt: number | null) => {
      const params = toyParams();
      const optimizer = new AdamW();
      const rng = new Rng(11);
      const saved: { req: CheckpointRequest; params: Map<string, Float32Array>; opt: Awaited<ReturnType<AdamW["getState"]>> }[] = [];
      const r = await train({
        params, lossFn: toyLoss(params), data: toyData(), optimizer, schedule, steps: stopAt ?? 12, rng, accumulate: 2,
        checkpointEvery: 2,
        checkpoint: async (req) => {
          saved.push({ req, params: new Map(await Promise.all([...params].map(async ([k, v]) => [k, (await v.data()) as Float32Array] as const))), opt: await optimizer.getState() });
        },
      });
      tf.dispose([...params.values()]);
      optimizer.dispose();
      return { losses: r.losses, saved };
    };
    const full = await run(null);
    const part = await run(5); // stops after step 5; checkpoints at 2, 4 and the final 5
    expect(part.saved.map((s) => s.req.step)).toEqual([2, 4, 5]);
    const ck = part.saved[1]; // resume from step 4 (as after a crash between 4 and 6)
    expect(ck.req.dataPosition).toBe(8);
    const params = toyParams(999); // different init: everything must come from the checkpoint
    for (const [k, v] of params) v.assign(tf.tensor(ck.params.get(k)!, v.shape));
    const optimizer = new AdamW();
    optimizer.setState(ck.opt);
    const r = await train({
      params, lossFn: toyLoss(params), data: skipItems(toyData(), ck.req.dataPosition), optimizer, schedule, steps: 12,
      startStep: ck.req.step, dataPosition: ck.req.dataPosition, rng: Rng.fromState(ck.req.rngState!), accumulate: 2,
    });
    expect(full.losses.slice(0, 5)).toEqual(part.losses);
    expect(r.losses).toEqual(full.losses.slice(4));
    expect(r.dataPosition).toBe(24);
    tf.dispose([...params.values()]);
    optimizer.dispose();
  });

  it('an abort signal stops after the current step and writes a final checkpoint', async () => {
    const params = toyParams();
    const optimizer = new AdamW();
    const ac = new AbortController();
    const steps: number[] = [];
    const r = await train({
      params, lossFn: toyLoss(params), data: toyData(), optimizer, schedule, steps: 12,
      onEvent: (e) => {
        if (e.type === 'step' && e.step === 3) ac.abort();
      },
      signal: ac.signal,
      checkpoint: (req) => void steps.push(req.step),
    });
    expect(r).toMatchObject({ step: 3, reason: 'aborted', dataPosition: 3 });
    expect(steps).toEqual([3]);
    tf.dispose([...params.values()]);
    optimizer.dispose();
  });

  it('an abort from a timer (as a SIGINT handler runs) stops a loop whose awaits are all microtasks', async () => {
    const params = toyParams();
    const optimizer = new AdamW();
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 0);
    const r = await train({ params, lossFn: toyLoss(params), data: toyData(), optimizer, schedule, steps: 100_000, signal: ac.signal });
    expect(r.reason).toBe('aborted');
    expect(r.step).toBeLessThan(100_000);
    tf.dispose([...params.values()]);
    optimizer.dispose();
  });

  it('logging every 5th step reports the same losses, metrics and norms as logging every step', async () => {
    const run = async (logEvery: number) => {
      const params = toyParams();
      const optimizer = new AdamW();
      const events: StepEvent[] = [];
      const data = [...take(toyData(), 13)]; // runs out after 13 steps: steps 11-13 are never logged
      const r = await train({
        params, lossFn: toyLoss(params), data, optimizer, schedule, steps: 20, logEvery,
        onEvent: (e) => void (e.type === 'step' && events.push(e)),
      });
      optimizer.dispose();
      tf.dispose([...params.values()]);
      return { r, events };
    };
    const every = await run(1);
    const fifth = await run(5);
    expect(fifth.r.reason).toBe('data');
    expect(fifth.r.losses).toHaveLength(13);
    expect(fifth.r.losses).toEqual(every.r.losses);
    expect(fifth.events.map((e) => e.step)).toEqual([5, 10]);
    for (const e of fifth.events) {
      const same = every.events[e.step - 1];
      expect([e.loss, e.gradNorm, e.metrics]).toEqual([same.loss, same.gradNorm, same.metrics]);
    }
  });

  it('rejects bad options naming the field', async () => {
    const params = toyParams();
    const base = { params, lossFn: toyLoss(params), data: toyData(), optimizer: new AdamW(), schedule, steps: 1 };
    await expect(train({ ...base, accumulate: 0 })).rejects.toThrow(/accumulate: expected an integer >= 1, got 0/);
    await expect(train({ ...base, clipNorm: -1 })).rejects.toThrow(/clipNorm: expected a finite number > 0 or null, got -1/);
    await expect(train({ ...base, params: new Map() })).rejects.toThrow(/params: expected at least one variable/);
    tf.dispose([...params.values()]);
  });
});

function* take<T>(it: Iterable<T>, n: number): Generator<T> {
  let i = 0;
  for (const x of it) {
    if (i++ >= n) return;
    yield x;
  }
}
