// The fine-tuning runner on tiny random models: the loss falls on a learnable synthetic task for each head, and a
// run that writes a checkpoint loads back (HF directory) and predicts identically; resuming from it repeats the
// uninterrupted run's losses.
import '@tensorflow/tfjs-backend-cpu';
import { Rng } from '@bertkit/backend';
import { bertConfig } from '@bertkit/encoder';
import * as tf from '@tensorflow/tfjs-core';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { padLabels, padRows, type TaskBatch } from './batch';
import { checkpointWriter, resumeFineTune } from './checkpoints';
import { loadTaskModel } from './model-io';
import { fineTune, predictLogits } from './runner';
import { BertTaskModel, HEAD_KINDS, withLabels, type HeadKind } from './task-model';

const root = mkdtempSync(join(tmpdir(), 'bertkit-finetune-'));
beforeAll(async () => {
  tf.env().set('IS_TEST', true);
  await tf.setBackend('cpu');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const config = withLabels(
  bertConfig({ vocabSize: 99, hiddenSize: 32, numHiddenLayers: 2, numAttentionHeads: 4, intermediateSize: 37, maxPositionEmbeddings: 32 }),
  ['a', 'b', 'c'],
);

/** A synthetic feature: the class picks the range of the ids; QA's answer starts at id 8; the right choice holds id 9. */
interface Synth {
  ids: number[];
  label: number;
  tokenLabels: number[];
  start: number;
  end: number;
  choices: number[][];
}

function synth(n: number, seed: number): Synth[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => {
    const len = 6 + rng.int(5);
    const label = rng.int(3);
    const ids = [1, ...Array.from({ length: len }, () => 10 + label * 29 + rng.int(29)), 2]; // class = id range
    const start = 1 + rng.int(len - 1);
    ids[start] = 8; // QA: answer starts at id 8, ends at the next token
    const correct = rng.int(4);
    const choices = [0, 1, 2, 3].map((c) => [1, 10 + rng.int(80), c === correct ? 9 : 10 + rng.int(80), 2]);
    return { ids, label, tokenLabels: ids.map((id, i) => (i === 0 || i === ids.length - 1 ? -100 : id % 3)), start, end: start + 1, choices };
  });
}

function collate(kind: HeadKind) {
  return (fs: Synth[]): TaskBatch => {
    if (kind === 'multiple-choice') {
      const b = padRows(fs.map((f) => f.choices.map((c) => ({ inputIds: c, typeIds: c.map(() => 0) }))), 0, true);
      return { ...b, labels: Int32Array.from(fs, (f) => f.choices.findIndex((c) => c[2] === 9)) };
    }
    const b = padRows(fs.map((f) => [{ inputIds: f.ids, typeIds: f.ids.map(() => 0) }]), 0);
    if (kind === 'token-classification') return { ...b, labels: padLabels(fs.map((f) => f.tokenLabels), b.shape[1]) };
    if (kind === 'question-answering') return { ...b, startPositions: Int32Array.from(fs, (f) => f.start), endPositions: Int32Array.from(fs, (f) => f.end) };
    return { ...b, labels: Int32Array.from(fs, (f) => f.label) };
  };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('fineTune', () => {
  it.each(HEAD_KINDS.map((k) => [k]))('%s: the loss falls on a learnable synthetic task; no tensors leak', async (kind) => {
    const model = new BertTaskModel(config, kind, { rng: new Rng(7) });
    const before = tf.memory().numTensors;
    const r = await fineTune({ model, features: synth(64, 1), collate: collate(kind), config: { lr: kind === 'sequence-classification' ? 1e-2 : 2e-3, // the tanh pooler at init std 0.02 learns slowly at 2e-3
      batchSize: 16, maxSteps: 40, seed: 3 } });
    expect(tf.memory().numTensors).toBe(before);
    const first = mean(r.losses.slice(0, 5));
    const last = mean(r.losses.slice(-5));
    console.log(`${kind}: loss ${first.toFixed(3)} → ${last.toFixed(3)} over ${r.losses.length} steps`);
    expect(r.losses.length).toBe(40);
    expect(last).toBeLessThan(first * 0.6);
    model.dispose();
  });

  it('a run writes HF checkpoints that load back and predict identically; resume repeats the losses', async () => {
    const kind: HeadKind = 'sequence-classification';
    const features = synth(40, 2);
    const cfg = { lr: 1e-3, batchSize: 8, maxSteps: 8, seed: 5 };
    const full = new BertTaskModel(config, kind, { rng: new Rng(9) });
    const ref = await fineTune({ model: full, features, collate: collate(kind), config: cfg });

    const dir = join(root, 'run');
    const model = new BertTaskModel(config, kind, { rng: new Rng(9) });
    const ac = new AbortController();
    const first = await fineTune({
      model, features, collate: collate(kind), config: cfg, checkpoint: checkpointWriter(dir, model), checkpointEvery: 3,
      onEvent: (e) => { if (e.type === 'step' && e.step === 5) ac.abort(); },
      signal: ac.signal,
    });
    expect(first.reason).toBe('aborted');
    expect(readdirSync(dir).filter((n) => n.startsWith('checkpoint-')).sort()).toEqual(['checkpoint-00000003', 'checkpoint-00000005']);
    // The newest checkpoint is a HF directory: it predicts exactly what the in-memory model does.
    const loaded = await loadTaskModel(join(dir, 'checkpoint-00000005'));
    const a = await predictLogits(model, features, collate(kind), 16);
    const b = await predictLogits(loaded, features, collate(kind), 16);
    expect(b.map((x) => Array.from(x.data))).toEqual(a.map((x) => Array.from(x.data)));
    loaded.dispose();
    model.dispose();

    const resumed = await resumeFineTune(dir);
    expect(resumed!.resume.step).toBe(5);
    const rest = await fineTune({ model: resumed!.model, features, collate: collate(kind), config: cfg, resume: resumed!.resume });
    expect([...first.losses, ...rest.losses]).toEqual(ref.losses);
    resumed!.model.dispose();
    full.dispose();
  });
});
