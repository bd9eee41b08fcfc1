import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { Rng } from '@bertkit/backend';
import { BiLstmTagger } from './bilstm';
import { predictTags, taggerBatch, trainTagger, type TaggedFeatures } from './train-tagger';

const V = 5;

/** Sentences of one-hot words; the tag of word j is [word j-1 is 0] + 2·[word j+1 is 0]: it needs both directions
 * and cannot be read off the word itself. */
function contextTask(n: number, seed: number): TaggedFeatures {
  const rng = new Rng(seed);
  const features: Float32Array[] = [];
  const labels: number[][] = [];
  for (let s = 0; s < n; s++) {
    const len = rng.randint(3, 8);
    const words = Array.from({ length: len }, () => rng.int(V));
    const f = new Float32Array(len * V);
    words.forEach((w, j) => (f[j * V + w] = 1));
    features.push(f);
    labels.push(words.map((_, j) => (j > 0 && words[j - 1] === 0 ? 1 : 0) + (j + 1 < len && words[j + 1] === 0 ? 2 : 0)));
  }
  return { width: V, features, labels };
}

function accuracy(gold: number[][], pred: number[][]): number {
  let ok = 0, n = 0;
  gold.forEach((g, i) => g.forEach((y, j) => ((ok += y === pred[i][j] ? 1 : 0), n++)));
  return ok / n;
}

/** The best any tagger that looks only at the current word can do on `data` (per word, its most frequent tag). */
function bestContextFree(data: TaggedFeatures): number {
  const counts = Array.from({ length: V }, () => [0, 0, 0, 0]);
  data.labels.forEach((ls, i) => ls.forEach((y, j) => counts[data.features[i].subarray(j * V, (j + 1) * V).indexOf(1)][y]++));
  const total = data.labels.reduce((a, l) => a + l.length, 0);
  return counts.reduce((a, c) => a + Math.max(...c), 0) / total;
}

describe('BiLSTM tagger (paper §5.3)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('backward direction of word j sees only words j..len-1 (padding never leaks in)', async () => {
    const tagger = new BiLstmTagger({ inputSize: 3, hiddenSize: 6, numLayers: 2, numLabels: 4 }, new Rng(1));
    const before = tf.memory().numTensors;
    const a = new Float32Array([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    const alone = taggerBatch({ width: 3, features: [a], labels: [] }, [0]);
    const padded = taggerBatch({ width: 3, features: [a, new Float32Array(15).fill(0.5)], labels: [] }, [0, 1]);
    const l1 = tf.tidy(() => tagger.forward(alone).arraySync()[0]);
    const l2 = tf.tidy(() => tagger.forward(padded).arraySync()[0].slice(0, 3));
    l1.forEach((row, j) => row.forEach((v, k) => expect(l2[j][k]).toBeCloseTo(v, 5)));
    tf.dispose([alone.features, padded.features]);
    expect(tf.memory().numTensors).toBe(before);
    expect(tagger.params.size).toBe(2 * 2 * 3 + 2);
    expect(tagger.params.get('lstm.1.bw.w_ih')?.shape).toEqual([12, 24]);
    // forget-gate bias starts at 1
    expect(Array.from(tagger.params.get('lstm.0.fw.bias')!.dataSync().slice(6, 12))).toEqual(new Array(6).fill(1));
    tagger.dispose();
    expect(() => new BiLstmTagger({ inputSize: 3, hiddenSize: 0, numLayers: 2, numLabels: 4 }, new Rng(1))).toThrow(/tagger hiddenSize: expected a positive integer, got 0/);
  });

  it('learns a tag that depends on the previous and the next word; loss falls; no tensor leaks', async () => {
    const train = contextTask(96, 11);
    const test = contextTask(60, 12);
    const before = tf.memory().numTensors;
    const losses: number[] = [];
    const tagger = await trainTagger(train, { numLabels: 4, hiddenSize: 12, numLayers: 2, epochs: 14, lr: 0.03, batchSize: 16, seed: 5 }, (e) => {
      losses.push(e.meanLoss);
    });
    const acc = accuracy(test.labels, await predictTags(tagger, test));
    const ceiling = bestContextFree(test);
    tagger.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(losses[losses.length - 1]).toBeLessThan(losses[0] * 0.3);
    expect(ceiling).toBeLessThan(0.75);
    expect(acc).toBeGreaterThan(0.95);
  });

  it('is deterministic for a seed', async () => {
    const train = contextTask(20, 3);
    const run = async (seed: number) => {
      const losses: number[] = [];
      const t = await trainTagger(train, { numLabels: 4, hiddenSize: 5, numLayers: 1, epochs: 2, lr: 0.01, batchSize: 8, seed }, (e) => {
      losses.push(e.meanLoss);
    });
      const w = Array.from(t.params.get('classifier.weight')!.dataSync());
      t.dispose();
      return { losses, w };
    };
    const a = await run(9), b = await run(9), c = await run(10);
    expect(a).toEqual(b);
    expect(c.w).not.toEqual(a.w);
    await expect(trainTagger({ width: 5, features: [new Float32Array(4)], labels: [[0]] }, { numLabels: 2 })).rejects.toThrow(/train.features\[0\]: expected 1 words × 5 values, got 4 values/);
  });
});
