import { Rng, initBackend } from '@bertkit/backend';
import { bertConfig } from '@bertkit/encoder';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initPositionEmbeddings, sinusoidalTable } from './position-init.js';
import { BertForPreTraining } from './pretraining-model.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('sinusoidal position init', () => {
  it('is the Transformer code (sin on even, cos on odd columns) with the requested standard deviation', () => {
    const [P, H] = [64, 16];
    const t = sinusoidalTable(P, H, 0.02);
    const s = 0.02 * Math.SQRT2;
    expect(t[0]).toBe(0); // sin(0)
    expect(t[1]).toBeCloseTo(s, 8); // cos(0), float32
    expect(t[3 * H + 2]).toBeCloseTo(s * Math.sin(3 / Math.pow(10000, 2 / H)), 8);
    expect(t[5 * H + 7]).toBeCloseTo(s * Math.cos(5 / Math.pow(10000, 6 / H)), 8);
    const rms = Math.sqrt(t.reduce((a, x) => a + x * x, 0) / t.length);
    expect(rms).toBeCloseTo(0.02, 3);
  });

  it('a position is most similar to itself and its neighbours (dot products fall off with distance)', () => {
    const [P, H] = [32, 64];
    const t = sinusoidalTable(P, H, 1);
    const dot = (a: number, b: number) => t.subarray(a * H, a * H + H).reduce((s, x, i) => s + x * t[b * H + i], 0);
    expect(dot(10, 10)).toBeGreaterThan(dot(10, 11));
    expect(dot(10, 11)).toBeGreaterThan(dot(10, 14));
    expect(dot(10, 14)).toBeGreaterThan(dot(10, 25));
  });

  it('overwrites only the position table of a fresh model; normal keeps the random init', async () => {
    const config = bertConfig({ vocabSize: 50, hiddenSize: 8, numHiddenLayers: 1, numAttentionHeads: 2, intermediateSize: 16, maxPositionEmbeddings: 12 });
    const a = BertForPreTraining.create(config, { rng: new Rng(3), objective: 'mlm' });
    const b = BertForPreTraining.create(config, { rng: new Rng(3), objective: 'mlm' });
    const before = tf.memory().numTensors;
    initPositionEmbeddings(a, 'sinusoidal');
    initPositionEmbeddings(b, 'normal');
    expect(tf.memory().numTensors).toBe(before);
    const pa = await a.bert.embeddings.positionEmbeddings.data();
    expect(Array.from(pa)).toEqual(Array.from(sinusoidalTable(12, 8, 0.02)));
    const wa = await a.bert.embeddings.wordEmbeddings.data();
    const wb = await b.bert.embeddings.wordEmbeddings.data();
    expect(Array.from(wa)).toEqual(Array.from(wb));
    const pb = await b.bert.embeddings.positionEmbeddings.data();
    expect(Array.from(pb)).not.toEqual(Array.from(pa));
    expect(() => initPositionEmbeddings(a, 'rope' as never)).toThrow(/positionInit: expected one of normal, sinusoidal, got "rope"/);
    a.dispose();
    b.dispose();
  });
});
