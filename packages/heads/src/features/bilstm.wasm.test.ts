// The tagger's loss and gradients on tfjs-backend-wasm equal cpu's: the recurrence uses only ops whose gradients
// wasm has (gatherRows for the reversal instead of tf.gather, matMul/linear from @bertkit/backend).
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { Rng, initBackend } from '@bertkit/backend';
import { BiLstmTagger } from './bilstm';
import { taggerBatch } from './train-tagger';

function lossAndGrads(backend: string): Record<string, number[]> {
  tf.setBackend(backend);
  const tagger = new BiLstmTagger({ inputSize: 3, hiddenSize: 5, numLayers: 2, numLabels: 3 }, new Rng(4));
  const rng = new Rng(2);
  const feats = [new Float32Array(12), new Float32Array(6)].map((f) => f.map(() => rng.normal()));
  const batch = taggerBatch({ width: 3, features: feats, labels: [] }, [0, 1]);
  const { value, grads } = tf.variableGrads(() => tagger.loss(batch, [[0, 2, 1, 1], [2, 0]]), [...tagger.params.values()]);
  const names = new Map([...tagger.params].map(([n, v]) => [v.name, n]));
  const out: Record<string, number[]> = { loss: Array.from(value.dataSync()) };
  for (const [k, g] of Object.entries(grads)) out[names.get(k) as string] = Array.from(g.dataSync());
  tf.dispose([value, batch.features, ...Object.values(grads)]);
  tagger.dispose();
  return out;
}

describe('BiLSTM tagger on wasm', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'cpu' });
    expect((await initBackend({ backend: 'wasm' })).backend).toBe('wasm');
  });

  it('has the loss and every gradient of cpu within 1e-5', () => {
    const cpu = lossAndGrads('cpu');
    const wasm = lossAndGrads('wasm');
    expect(Object.keys(wasm).sort()).toEqual(Object.keys(cpu).sort());
    expect(Object.keys(cpu)).toHaveLength(15);
    for (const k of Object.keys(cpu)) {
      const d = Math.max(...cpu[k].map((v, i) => Math.abs(v - wasm[k][i])));
      expect(d, k).toBeLessThan(1e-5);
    }
    expect(Math.max(...cpu['lstm.0.bw.w_ih'].map(Math.abs))).toBeGreaterThan(0); // the backward direction gets a gradient
  });
});
