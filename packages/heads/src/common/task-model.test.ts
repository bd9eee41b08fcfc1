// BertTaskModel on tiny odd-sized random models: output shapes, HF config semantics (architectures, id2label,
// regression), save → load round trip with identical logits, no tensor leaks.
import '@tensorflow/tfjs-backend-cpu';
import { Rng } from '@bertkit/backend';
import { bertConfig, readSafetensors } from '@bertkit/encoder';
import * as tf from '@tensorflow/tfjs-core';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HeadConfigError } from './errors';
import { taskLoss } from './losses';
import { loadTaskModel, saveTaskModel } from './model-io';
import { BertTaskModel, HEAD_KINDS, problemTypeOf, withLabels, type HeadKind } from './task-model';

const root = mkdtempSync(join(tmpdir(), 'bertkit-heads-'));
beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const base = bertConfig({ vocabSize: 99, hiddenSize: 40, numHiddenLayers: 2, numAttentionHeads: 5, intermediateSize: 37, maxPositionEmbeddings: 32 });
const labels = ['B-PER', 'I-PER', 'O'];

function inputs(kind: HeadKind) {
  const shape = kind === 'multiple-choice' ? [2, 4, 7] : [2, 7];
  const n = shape.reduce((a, b) => a * b, 1);
  const rng = new Rng(3);
  return {
    inputIds: tf.tensor(Int32Array.from({ length: n }, () => 4 + rng.int(95)), shape, 'int32'),
    attentionMask: tf.tensor(Int32Array.from({ length: n }, (_, i) => (i % 7 < 5 ? 1 : 0)), shape, 'int32'),
  };
}

const EXPECTED_SHAPE: Record<HeadKind, number[]> = {
  'sequence-classification': [2, 3],
  'token-classification': [2, 7, 3],
  'question-answering': [2, 7, 2],
  'multiple-choice': [2, 4],
};

describe('BertTaskModel', () => {
  it.each(HEAD_KINDS.map((k) => [k]))('%s: shapes, HF names, save → load gives identical logits, no leaks', async (kind) => {
    const start = tf.memory().numTensors;
    const model = new BertTaskModel(withLabels(base, labels), kind, { rng: new Rng(1) });
    const x = inputs(kind);
    const before = tf.memory().numTensors;
    const logits = model.forward(x);
    expect(tf.memory().numTensors).toBe(before + 1);
    expect(logits.shape).toEqual(EXPECTED_SHAPE[kind]);
    const dir = join(root, kind);
    await saveTaskModel(dir, model);
    const cfg = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    const arch = { 'sequence-classification': 'BertForSequenceClassification', 'token-classification': 'BertForTokenClassification', 'question-answering': 'BertForQuestionAnswering', 'multiple-choice': 'BertForMultipleChoice' }[kind];
    expect(cfg.architectures).toEqual([arch]);
    expect(cfg.id2label).toEqual({ 0: 'B-PER', 1: 'I-PER', 2: 'O' });
    expect(cfg.label2id).toEqual({ 'B-PER': 0, 'I-PER': 1, O: 2 });
    const names = [...readSafetensors(readFileSync(join(dir, 'model.safetensors'))).tensors.keys()];
    const head = kind === 'question-answering' ? 'qa_outputs' : 'classifier';
    expect(names).toContain(`${head}.weight`);
    expect(names.some((n) => n.startsWith('bert.pooler.'))).toBe(kind === 'sequence-classification' || kind === 'multiple-choice');
    const w = readSafetensors(readFileSync(join(dir, 'model.safetensors'))).tensors.get(`${head}.weight`)!;
    const out = { 'sequence-classification': 3, 'token-classification': 3, 'question-answering': 2, 'multiple-choice': 1 }[kind];
    expect(w.shape).toEqual([out, 40]); // HF nn.Linear weight [out, in]
    const back = await loadTaskModel(dir);
    expect(back.kind).toBe(kind);
    const again = back.forward(x);
    expect(Array.from(again.dataSync())).toEqual(Array.from(logits.dataSync()));
    tf.dispose([logits, again, x.inputIds, x.attentionMask]);
    model.dispose();
    back.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });

  it('regression when numLabels is 1 (STS-B): MSE loss, problem_type kept through save/load', async () => {
    const cfg = withLabels({ ...base, numLabels: 1, id2label: undefined, label2id: undefined }, undefined);
    expect(problemTypeOf(cfg)).toBe('regression');
    expect(problemTypeOf(withLabels(base, ['a', 'b'], 'regression'))).toBe('regression');
    expect(problemTypeOf(withLabels(base, ['a', 'b']))).toBe('single_label_classification');
    const model = new BertTaskModel(cfg, 'sequence-classification', { rng: new Rng(2) });
    const x = inputs('sequence-classification');
    const logits = model.forward(x); // [2, 1]
    expect(logits.shape).toEqual([2, 1]);
    const batch = { shape: [2, 7], inputIds: new Int32Array(14), typeIds: new Int32Array(14), attentionMask: new Int32Array(14), targets: Float32Array.from([0.5, 4.0]) };
    const loss = taskLoss(model, logits, batch);
    const v = logits.dataSync();
    expect(loss.dataSync()[0]).toBeCloseTo(((v[0] - 0.5) ** 2 + (v[1] - 4) ** 2) / 2, 5);
    tf.dispose([logits, loss, x.inputIds, x.attentionMask]);
    model.dispose();
  });

  it('a fresh head on a pre-trained encoder needs an rng; a wrong head size is named', async () => {
    const model = new BertTaskModel(withLabels(base, labels), 'sequence-classification', { rng: new Rng(4) });
    const dir = join(root, 'base');
    await saveTaskModel(dir, model);
    await expect(loadTaskModel(dir, { kind: 'token-classification', labels: ['a', 'b', 'c', 'd'] })).rejects.toThrow(HeadConfigError);
    await expect(loadTaskModel(dir, { labels: ['a', 'b', 'c', 'd'] })).rejects.toThrow(/classifier.weight: expected shape \[4, 40\], got \[3,40\]/);
    const fresh = await loadTaskModel(dir, { kind: 'question-answering', rng: new Rng(5) });
    expect(fresh.head.outDim).toBe(2);
    fresh.dispose();
    model.dispose();
  });
});
