// Activation checkpointing (ForwardOptions.checkpointLayers): the same outputs and gradients as the plain forward
// pass, dropout included (the backward pass replays the layer's dropout draws), on cpu and wasm, with no leak.
import { Rng, initBackend } from '@bertkit/backend';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { BertModel } from './bert-model.js';
import { parseConfig } from './config.js';

const config = parseConfig({
  vocab_size: 50, hidden_size: 24, num_hidden_layers: 3, num_attention_heads: 2, intermediate_size: 40, max_position_embeddings: 16,
});

async function lossAndGrads(backend: 'cpu' | 'wasm', checkpointLayers: boolean): Promise<{ loss: number; grads: Map<string, Float32Array>; leaked: number }> {
  await initBackend({ backend });
  const model = new BertModel(config, { rng: new Rng(3) });
  const ids = tf.tensor2d([[2, 7, 9, 4, 11, 3, 0, 0], [2, 5, 5, 8, 3, 6, 12, 3]], [2, 8], 'int32');
  const mask = tf.tensor2d([[1, 1, 1, 1, 1, 1, 0, 0], [1, 1, 1, 1, 1, 1, 1, 1]], [2, 8], 'int32');
  const w = tf.tensor(Float32Array.from({ length: 2 * 8 * 24 }, (_, i) => Math.sin(i)), [2, 8, 24]);
  const params = model.parameters();
  const before = tf.memory().numTensors;
  const rng = new Rng(11);
  const { value, grads } = tf.variableGrads(() => {
    const out = model.forward({ inputIds: ids, attentionMask: mask }, { training: true, dropoutRng: rng, checkpointLayers });
    return tf.sum(tf.mul(out.sequenceOutput, w)) as tf.Scalar;
  }, [...params.values()]);
  const named = new Map<string, Float32Array>();
  for (const [name, v] of params) if (grads[v.name]) named.set(name, (await grads[v.name].data()) as Float32Array); // the pooler has none
  const loss = (await value.data())[0];
  tf.dispose([value, ...Object.values(grads)]);
  const leaked = tf.memory().numTensors - before;
  tf.dispose([ids, mask, w]);
  model.dispose();
  return { loss, grads: named, leaked };
}

describe('checkpointLayers', () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    it(`gives the plain pass's loss and every parameter's gradient, with dropout (${backend})`, async () => {
      const plain = await lossAndGrads(backend, false);
      const ckpt = await lossAndGrads(backend, true);
      expect(ckpt.loss).toBeCloseTo(plain.loss, 4);
      expect(ckpt.grads.size).toBe(plain.grads.size);
      expect(plain.grads.size).toBeGreaterThan(3 * 16); // every layer's parameters and the embeddings'
      let worst = 0;
      for (const [name, g] of plain.grads) {
        const h = ckpt.grads.get(name)!;
        for (let i = 0; i < g.length; i++) worst = Math.max(worst, Math.abs(g[i] - h[i]) / Math.max(1, Math.abs(g[i])));
      }
      expect(worst).toBeLessThan(1e-5);
      expect(ckpt.leaked).toBe(0);
    });
  }
});
