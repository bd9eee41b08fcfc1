// The ORT engine inside @bertkit/training's loop against the tfjs engine on the cpu backend: the same seeded run
// (dropout, gradient accumulation, clipping, weight decay, a warm-up schedule) logs the same losses, metrics and
// norms and ends with the same parameters and AdamW state; a run split in two through sync() (as a checkpoint
// and resume do) repeats the uninterrupted one. Skips when onnxruntime-node is not installed.
import '@tensorflow/tfjs-backend-cpu';
import { Rng } from '@bertkit/backend';
import { bertConfig } from '@bertkit/encoder';
import { AdamW, linearWarmupDecay, train, type StepEvent } from '@bertkit/training';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { fromHfInputs } from '../pretraining-model-batch.js';
import { BertForPreTraining } from '../pretraining-model.js';
import type { PretrainingBatch } from '../data-batch.js';
import { loadOrt } from './ort-runtime.js';
import { OrtStepRunner } from './ort-step-runner.js';

let hasOrt = false;
beforeAll(async () => {
  tf.env().set('IS_TEST', true);
  await tf.setBackend('cpu');
  hasOrt = await loadOrt().then(() => true, () => false);
});

const config = bertConfig({
  vocabSize: 50, hiddenSize: 16, numHiddenLayers: 2, numAttentionHeads: 2, intermediateSize: 32, maxPositionEmbeddings: 16,
  hiddenDropoutProb: 0.1, attentionProbsDropoutProb: 0.1,
});

/** Batch i of a fixed random stream: 4 rows × 10 tokens, 2–3 masked per row, NSP labels. */
function batches(seed: number): PretrainingBatch[] {
  const rng = new Rng(seed);
  return Array.from({ length: 12 }, () => {
    const ids = Array.from({ length: 4 }, () => [2, ...Array.from({ length: 9 }, () => 5 + rng.int(45))]);
    const labels = ids.map((row) => row.map((id, j) => (j === 1 || (j > 1 && rng.random() < 0.25) ? id : -100)));
    return fromHfInputs({
      input_ids: ids,
      token_type_ids: ids.map(() => [0, 0, 0, 0, 0, 1, 1, 1, 1, 1]),
      attention_mask: ids.map((_, r) => Array.from({ length: 10 }, (_, j) => (r === 3 && j > 7 ? 0 : 1))),
      mlm_labels: labels,
      next_sentence_label: [0, 1, 1, 0],
    });
  });
}

async function run(engine: 'tfjs' | 'ort', steps: number, split?: number, variant: { clipNorm: number | null; weightDecay: number } = { clipNorm: 0.5, weightDecay: 0.01 }) {
  const model = BertForPreTraining.create(config, { rng: new Rng(3), objective: 'mlm+nsp' });
  const optimizer = new AdamW({ beta2: 0.98, weightDecay: variant.weightDecay });
  const rng = new Rng(11);
  const data = batches(5);
  const events: StepEvent[] = [];
  const { params, lossFn } = model.asTask();
  const schedule = linearWarmupDecay({ peakLr: 3e-3, warmupSteps: 2, totalSteps: steps });
  const leg = async (from: number, to: number) =>
    train({
      params,
      lossFn,
      optimizer,
      schedule,
      steps: to,
      startStep: from,
      data: data.slice(from * 2),
      accumulate: 2,
      clipNorm: variant.clipNorm,
      rng,
      onEvent: (e) => void (e.type === 'step' && events.push(e)),
      ...(engine === 'ort' ? { runner: await OrtStepRunner.create({ model, optimizer, clipNorm: variant.clipNorm, threads: 1 }) } : {}),
    });
  if (split === undefined) await leg(0, steps);
  else {
    await leg(0, split);
    await leg(split, steps);
  }
  const values = new Map<string, Float32Array>();
  for (const [n, v] of params) values.set(n, (await v.data()) as Float32Array);
  const state = await optimizer.getState();
  model.dispose();
  optimizer.dispose();
  return { events, values, state };
}

function maxAbs(a: Float32Array, b: Float32Array): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

describe('engine ort in the training loop', () => {
  it('logs the tfjs engine\'s losses, metrics and norms and ends with its parameters and AdamW state', async () => {
    if (!hasOrt) {
      console.warn('skipped: onnxruntime-node is not installed');
      return;
    }
    const before = tf.memory().numTensors;
    const ref = await run('tfjs', 4);
    const ours = await run('ort', 4);
    expect(tf.memory().numTensors).toBe(before);
    expect(ours.events.length).toBe(4);
    ours.events.forEach((e, i) => {
      const r = ref.events[i];
      expect(Math.abs(e.loss - r.loss), `step ${e.step} loss`).toBeLessThan(2e-5);
      expect(Math.abs(e.gradNorm - r.gradNorm) / r.gradNorm, `step ${e.step} norm`).toBeLessThan(1e-4);
      expect(Math.abs(e.mlmAccuracy! - r.mlmAccuracy!)).toBeLessThan(1e-6);
      expect(Math.abs(e.nspLoss! - r.nspLoss!)).toBeLessThan(2e-5);
    });
    for (const [n, v] of ref.values) expect(maxAbs(ours.values.get(n)!, v), n).toBeLessThan(2e-5);
    for (const [n, s] of Object.entries(ref.state.params)) {
      const o = ours.state.params[n];
      expect(o.step, n).toBe(s.step);
      expect(maxAbs(o.m.data, s.m.data), `${n} m`).toBeLessThan(1e-5);
    }
  });

  it('without clipping or weight decay too', async () => {
    if (!hasOrt) return;
    const variant = { clipNorm: null, weightDecay: 0 };
    const ref = await run('tfjs', 3, undefined, variant);
    const ours = await run('ort', 3, undefined, variant);
    ours.events.forEach((e, i) => expect(Math.abs(e.loss - ref.events[i].loss), `step ${e.step} loss`).toBeLessThan(2e-5));
    for (const [n, v] of ref.values) expect(maxAbs(ours.values.get(n)!, v), n).toBeLessThan(2e-5);
  });

  it('a run split in two through sync() repeats the uninterrupted run', async () => {
    if (!hasOrt) return;
    const whole = await run('ort', 4);
    const split = await run('ort', 4, 2);
    expect(split.events.map((e) => e.loss)).toEqual(whole.events.map((e) => e.loss));
    for (const [n, v] of whole.values) expect(maxAbs(split.values.get(n)!, v), n).toBe(0);
  });
});
