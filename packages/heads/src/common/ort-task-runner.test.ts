// The ort fine-tuning engine against the tfjs engine on the cpu backend: the same seeded fineTune run (dropout in the
// encoder and before the classifier, clipping, weight decay, warm-up) of a token-classification and a single-label
// sequence-classification model logs the same losses and norms and ends with the same parameters; heads it cannot
// train are refused by name. Skips when onnxruntime-node is not installed.
import '@tensorflow/tfjs-backend-cpu';
import { Rng } from '@bertkit/backend';
import { bertConfig } from '@bertkit/encoder';
import { loadOrt } from '@bertkit/onnx/node';
import { AdamW, type StepEvent } from '@bertkit/training';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { padLabels, padRows, type TaskBatch } from './batch';
import { HeadConfigError } from './errors';
import { createOrtTaskRunner, ortCanFineTune, ortTaskForward } from './ort-task-runner';
import { fineTune, predictLogits } from './runner';
import { BertTaskModel, withLabels, type HeadKind } from './task-model';

let hasOrt = false;
beforeAll(async () => {
  tf.env().set('IS_TEST', true);
  await tf.setBackend('cpu');
  hasOrt = await loadOrt().then(() => true, () => false);
});

const base = bertConfig({
  vocabSize: 40, hiddenSize: 16, numHiddenLayers: 2, numAttentionHeads: 2, intermediateSize: 32, maxPositionEmbeddings: 24,
  hiddenDropoutProb: 0.1, attentionProbsDropoutProb: 0.1,
});

interface Feature {
  ids: number[];
  labels: number[]; // one per token (-100 on [CLS], [SEP] and continuation pieces) or one per sequence
}

/** 24 features of 5–12 tokens (so batches are padded), 3 classes. */
function features(kind: HeadKind, seed: number): Feature[] {
  const rng = new Rng(seed);
  return Array.from({ length: 24 }, () => {
    const n = 3 + rng.int(8);
    const ids = [2, ...Array.from({ length: n }, () => 5 + rng.int(35)), 3];
    const labels = kind === 'token-classification' ? ids.map((id, j) => (j === 0 || j === ids.length - 1 || id % 7 === 0 ? -100 : id % 3)) : [ids[1] % 3];
    return { ids, labels };
  });
}

function collate(kind: HeadKind) {
  return (fs: Feature[]): TaskBatch => {
    const padded = padRows(fs.map((f) => [{ inputIds: f.ids, typeIds: f.ids.map(() => 0) }]), 0);
    const labels = kind === 'token-classification' ? padLabels(fs.map((f) => f.labels), padded.shape[1]) : Int32Array.from(fs.map((f) => f.labels[0]));
    return { ...padded, labels };
  };
}

async function run(kind: HeadKind, engine: 'tfjs' | 'ort', classifierDropout: number | null = 0.2) {
  const config = withLabels({ ...base, classifierDropout }, ['a', 'b', 'c']);
  const model = new BertTaskModel(config, kind, { rng: new Rng(7) });
  const events: StepEvent[] = [];
  await fineTune({
    model,
    features: features(kind, 5),
    collate: collate(kind),
    config: { lr: 3e-3, batchSize: 8, epochs: 2, seed: 11, clipNorm: 0.5 },
    onEvent: (e) => void (e.type === 'step' && events.push(e)),
    ...(engine === 'ort' ? { runner: (optimizer: AdamW, clipNorm: number | null) => createOrtTaskRunner(model, optimizer, { clipNorm, threads: 1 }) } : {}),
  });
  const values = new Map<string, Float32Array>();
  for (const [n, v] of model.parameters()) values.set(n, (await v.data()) as Float32Array);
  model.dispose();
  return { events, values };
}

function maxAbs(a: Float32Array, b: Float32Array): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

describe('engine ort for fine-tuning', () => {
  for (const kind of ['token-classification', 'sequence-classification'] as const) {
    it(`${kind}: logs the tfjs engine's losses and norms and ends with its parameters`, async () => {
      if (!hasOrt) {
        console.warn('skipped: onnxruntime-node is not installed');
        return;
      }
      const before = tf.memory().numTensors;
      const ref = await run(kind, 'tfjs');
      const ours = await run(kind, 'ort');
      expect(tf.memory().numTensors).toBe(before);
      expect(ours.events.length).toBe(6);
      ours.events.forEach((e, i) => {
        const r = ref.events[i];
        expect(Math.abs(e.loss - r.loss), `step ${e.step} loss`).toBeLessThan(2e-5);
        expect(Math.abs(e.gradNorm - r.gradNorm) / r.gradNorm, `step ${e.step} norm`).toBeLessThan(1e-4);
      });
      expect(new Set(ref.events.map((e) => e.loss.toFixed(4))).size, 'the losses change from step to step').toBeGreaterThan(3);
      for (const [n, v] of ref.values) expect(maxAbs(ours.values.get(n)!, v), n).toBeLessThan(2e-5);
    });
  }

  it('without a classifier dropout (classifier_dropout 0, the encoder\'s still on) too', async () => {
    if (!hasOrt) return;
    const ref = await run('token-classification', 'tfjs', 0);
    const ours = await run('token-classification', 'ort', 0);
    ours.events.forEach((e, i) => expect(Math.abs(e.loss - ref.events[i].loss), `step ${e.step} loss`).toBeLessThan(2e-5));
    for (const [n, v] of ref.values) expect(maxAbs(ours.values.get(n)!, v), n).toBeLessThan(2e-5);
  });

  it('ortTaskForward predicts what the tfjs model predicts (the dev-set logits of engine ort)', async () => {
    if (!hasOrt) return;
    for (const kind of ['token-classification', 'sequence-classification'] as const) {
      const model = new BertTaskModel(withLabels(base, ['a', 'b', 'c']), kind, { rng: new Rng(9) });
      const ort = await ortTaskForward(model, { threads: 1 });
      try {
        const fs = features(kind, 6);
        const ref = await predictLogits(model, fs, collate(kind), 8);
        const ours = await predictLogits(ort, fs, collate(kind), 8);
        expect(ours.map((l) => l.shape)).toEqual(ref.map((l) => l.shape));
        ours.forEach((l, i) => expect(maxAbs(l.data, ref[i].data), `${kind} feature ${i}`).toBeLessThan(1e-4));
      } finally {
        await ort.dispose();
        model.dispose();
      }
    }
  });

  it('refuses the heads it cannot train, naming them', async () => {
    const qa = new BertTaskModel(base, 'question-answering', { rng: new Rng(1) });
    const regression = new BertTaskModel(withLabels(base, undefined, 'regression'), 'sequence-classification', { rng: new Rng(1) });
    const optimizer = new AdamW({});
    try {
      expect(ortCanFineTune(qa)).toBe(false);
      expect(ortCanFineTune(regression)).toBe(false);
      await expect(createOrtTaskRunner(qa, optimizer, { clipNorm: 1 })).rejects.toThrow(HeadConfigError);
      await expect(createOrtTaskRunner(regression, optimizer, { clipNorm: 1 })).rejects.toThrow(/got sequence-classification \(regression\)/);
    } finally {
      qa.dispose();
      regression.dispose();
      optimizer.dispose();
    }
  });
});
