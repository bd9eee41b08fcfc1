// The ort fine-tuning engine against the tfjs engine on the cpu backend: the same seeded fineTune run (dropout in the
// encoder and before the classifier, clipping, weight decay, warm-up) of each head kind — token classification,
// single-label sequence classification, question answering (some spans outside the text, ignored as HF does),
// multiple choice — logs the same losses and norms and ends with the same parameters; so do regression and
// multi-label sequence classification. Skips when onnxruntime-node is not installed.
import '@tensorflow/tfjs-backend-cpu';
import { Rng } from '@bertkit/backend';
import { bertConfig } from '@bertkit/encoder';
import { loadOrt } from '@bertkit/onnx/node';
import { AdamW, type StepEvent } from '@bertkit/training';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { padLabels, padRows, type TaskBatch } from './batch';
import { createOrtTaskRunner, ortTaskForward } from './ort-task-runner';
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
  ids: number[][]; // one row, or C choices (multiple choice)
  labels: number[]; // one per token (-100 on [CLS], [SEP] and continuation pieces), one per sequence, or [start, end]
}

/** 24 features of 5–12 tokens (so batches are padded), 3 classes / 3 choices; QA spans, a few outside the text. */
function features(kind: HeadKind, seed: number): Feature[] {
  const rng = new Rng(seed);
  const row = (n: number) => [2, ...Array.from({ length: n }, () => 5 + rng.int(35)), 3];
  return Array.from({ length: 24 }, (_, i) => {
    const n = 3 + rng.int(8);
    if (kind === 'multiple-choice') return { ids: [row(n), row(n), row(n)], labels: [rng.int(3)] };
    const ids = row(n);
    if (kind === 'question-answering') {
      const start = 1 + rng.int(n);
      return { ids: [ids], labels: i % 7 === 3 ? [-1, 40] : [start, Math.min(n, start + rng.int(3))] }; // -1, 40: ignored, as HF does
    }
    const labels = kind === 'token-classification' ? ids.map((id, j) => (j === 0 || j === ids.length - 1 || id % 7 === 0 ? -100 : id % 3)) : [ids[1] % 3];
    return { ids: [ids], labels };
  });
}

function collate(kind: HeadKind) {
  return (fs: Feature[]): TaskBatch => {
    const padded = padRows(fs.map((f) => f.ids.map((ids) => ({ inputIds: ids, typeIds: ids.map(() => 0) }))), 0, kind === 'multiple-choice');
    const t = padded.shape[padded.shape.length - 1];
    if (kind === 'question-answering') return { ...padded, startPositions: Int32Array.from(fs, (f) => f.labels[0]), endPositions: Int32Array.from(fs, (f) => f.labels[1]) };
    const labels = kind === 'token-classification' ? padLabels(fs.map((f) => f.labels), t) : Int32Array.from(fs.map((f) => f.labels[0]));
    return { ...padded, labels };
  };
}

/** A seeded fineTune run of `model` (disposed after) on one engine: its step events and final parameters. */
async function fineTuneOn(engine: 'tfjs' | 'ort', model: BertTaskModel, features: Feature[], collateFn: (fs: Feature[]) => TaskBatch) {
  const events: StepEvent[] = [];
  await fineTune({
    model,
    features,
    collate: collateFn,
    config: { lr: 3e-3, batchSize: 8, epochs: 2, seed: 11, clipNorm: 0.5 },
    onEvent: (e) => void (e.type === 'step' && events.push(e)),
    ...(engine === 'ort' ? { runner: (optimizer: AdamW, clipNorm: number | null) => createOrtTaskRunner(model, optimizer, { clipNorm, threads: 1 }) } : {}),
  });
  const values = new Map<string, Float32Array>();
  for (const [n, v] of model.parameters()) values.set(n, (await v.data()) as Float32Array);
  model.dispose();
  return { events, values };
}

function run(kind: HeadKind, engine: 'tfjs' | 'ort', classifierDropout: number | null = 0.2) {
  const labelled = kind === 'sequence-classification' || kind === 'token-classification';
  const config = labelled ? withLabels({ ...base, classifierDropout }, ['a', 'b', 'c']) : { ...base, classifierDropout };
  return fineTuneOn(engine, new BertTaskModel(config, kind, { rng: new Rng(7) }), features(kind, 5), collate(kind));
}

/** Regression (a target per sentence) or multi-label (3 labels, each 0 or 1) on the sequence-classification features. */
function runProblem(problem: 'regression' | 'multi_label_classification', engine: 'tfjs' | 'ort') {
  const labels = problem === 'regression' ? undefined : ['a', 'b', 'c'];
  const model = new BertTaskModel(withLabels({ ...base, classifierDropout: 0.2 }, labels, problem), 'sequence-classification', { rng: new Rng(7) });
  const targets = (f: Feature) => (problem === 'regression' ? [(f.ids[0][1] % 5) / 2] : [0, 1, 2].map((j) => (f.ids[0][1 + j] ?? 0) % 2));
  return fineTuneOn(engine, model, features('sequence-classification', 5), (batch) => {
    const { labels: _, ...rest } = collate('sequence-classification')(batch);
    return { ...rest, targets: Float32Array.from(batch.flatMap(targets)) };
  });
}

function maxAbs(a: Float32Array, b: Float32Array): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

describe('engine ort for fine-tuning', () => {
  for (const kind of ['token-classification', 'sequence-classification', 'question-answering', 'multiple-choice'] as const) {
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
      // a bias that shifts every logit of a softmax alike (question answering's two, multiple choice's one) has an
      // exact gradient of 0: both engines move it by float noise that Adam scales up, so it is not compared
      const shiftInvariant = kind === 'question-answering' ? 'qa_outputs.bias' : kind === 'multiple-choice' ? 'classifier.bias' : null;
      for (const [n, v] of ref.values) if (n !== shiftInvariant) expect(maxAbs(ours.values.get(n)!, v), n).toBeLessThan(2e-5);
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
    for (const kind of ['token-classification', 'sequence-classification', 'question-answering', 'multiple-choice'] as const) {
      const labelled = kind === 'sequence-classification' || kind === 'token-classification';
      const model = new BertTaskModel(labelled ? withLabels(base, ['a', 'b', 'c']) : base, kind, { rng: new Rng(9) });
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

  for (const problem of ['regression', 'multi_label_classification'] as const) {
    it(`sequence-classification (${problem}): the tfjs engine's losses and parameters`, async () => {
      if (!hasOrt) return;
      const ref = await runProblem(problem, 'tfjs');
      const ours = await runProblem(problem, 'ort');
      expect(ours.events.length).toBe(6);
      ours.events.forEach((e, i) => expect(Math.abs(e.loss - ref.events[i].loss), `step ${e.step} loss`).toBeLessThan(2e-5));
      for (const [n, v] of ref.values) expect(maxAbs(ours.values.get(n)!, v), n).toBeLessThan(2e-5);
    });
  }
});
