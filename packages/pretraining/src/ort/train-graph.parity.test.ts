// The ONNX training graph (@bertkit/onnx buildPretrainingGraph) run in ONNX Runtime against the tfjs model's own
// loss and autograd on the cpu backend: loss, metrics and every parameter's gradient, for both objectives, every
// activation, with and without dropout (the masks drawn from the same Rng keys as the tfjs forward pass), with
// padding and ignored NSP rows. Skips when onnxruntime-node is not installed.
import '@tensorflow/tfjs-backend-cpu';
import { Rng } from '@bertkit/backend';
import { bertConfig, type HiddenAct } from '@bertkit/encoder';
import { buildPretrainingGraph } from '@bertkit/onnx';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { fromHfInputs } from '../pretraining-model-batch.js';
import { BertForPreTraining } from '../pretraining-model.js';
import { loadOrt, type OrtModule } from './ort-runtime.js';
import { batchFeeds, dropoutFeeds, readParams } from './step-feeds.js';

let ort: OrtModule | null = null;
beforeAll(async () => {
  tf.env().set('IS_TEST', true);
  await tf.setBackend('cpu');
  ort = await loadOrt().catch(() => null);
});

function maxRelDiff(a: Float32Array, b: Float32Array): number {
  let scale = 0;
  let diff = 0;
  for (let i = 0; i < a.length; i++) {
    scale = Math.max(scale, Math.abs(b[i]));
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
  }
  // the key bias gets a gradient of zero up to rounding (softmax ignores a shift shared by every key): an
  // absolute floor keeps its float noise from reading as a relative error
  return diff / Math.max(scale, 1e-3);
}

const batch = fromHfInputs({
  input_ids: [
    [2, 5, 9, 3, 17, 22, 3, 0, 0],
    [2, 40, 41, 3, 44, 45, 46, 47, 3],
    [2, 11, 12, 13, 3, 30, 31, 3, 0],
  ],
  token_type_ids: [
    [0, 0, 0, 0, 1, 1, 1, 0, 0],
    [0, 0, 0, 0, 1, 1, 1, 1, 1],
    [0, 0, 0, 0, 0, 1, 1, 1, 0],
  ],
  attention_mask: [
    [1, 1, 1, 1, 1, 1, 1, 0, 0],
    [1, 1, 1, 1, 1, 1, 1, 1, 1],
    [1, 1, 1, 1, 1, 1, 1, 1, 0],
  ],
  mlm_labels: [
    [-100, 7, -100, -100, -100, 23, -100, -100, -100],
    [-100, -100, 42, -100, -100, -100, -100, 48, -100],
    [-100, 10, -100, 14, -100, -100, 32, -100, -100],
  ],
  next_sentence_label: [1, -100, 0],
});

const cases: Array<{ act: HiddenAct; objective: 'mlm' | 'mlm+nsp'; dropout: number }> = [
  { act: 'gelu', objective: 'mlm+nsp', dropout: 0 },
  { act: 'gelu', objective: 'mlm+nsp', dropout: 0.2 },
  { act: 'gelu_new', objective: 'mlm', dropout: 0.1 },
  { act: 'relu', objective: 'mlm', dropout: 0 },
];

describe('ONNX training graph vs tfjs autograd (cpu)', () => {
  it.each(cases)('$objective, $act, dropout $dropout: loss, metrics and every gradient', async ({ act, objective, dropout }) => {
    if (!ort) {
      console.warn('skipped: onnxruntime-node is not installed');
      return;
    }
    const config = bertConfig({
      vocabSize: 60, hiddenSize: 16, numHiddenLayers: 2, numAttentionHeads: 2, intermediateSize: 24, maxPositionEmbeddings: 20,
      hiddenAct: act, hiddenDropoutProb: dropout, attentionProbsDropoutProb: dropout === 0 ? 0 : dropout + 0.05,
    });
    const model = BertForPreTraining.create(config, { rng: new Rng(7), objective });
    try {
      const params = model.parameters();
      const training = dropout > 0;
      const rng = new Rng(99);
      const keysRng = Rng.fromState(rng.state());
      let metrics: Record<string, tf.Scalar> = {};
      const { value, grads } = tf.variableGrads(() => {
        const out = model.loss(batch, { training, rng });
        metrics = out.metrics as Record<string, tf.Scalar>;
        for (const m of Object.values(metrics)) tf.keep(m);
        return out.loss;
      }, [...params.values()]);

      const graph = buildPretrainingGraph(config, { objective, shapes: new Map([...params].map(([n, v]) => [n, v.shape])) });
      const session = await ort.InferenceSession.create(graph.bytes, { graphOptimizationLevel: 'all' });
      const values = await readParams(params);
      const feeds = {
        ...batchFeeds(ort, batch, objective),
        ...dropoutFeeds(ort, graph.dropout, config, batch, training ? keysRng : null),
      };
      for (const name of graph.params) feeds[name] = new ort.Tensor('float32', values.get(name)!, params.get(name)!.shape);
      const out = await session.run(feeds);
      await session.release();

      expect(Math.abs((out.loss.data as Float32Array)[0] - (await value.data())[0])).toBeLessThan(1e-5);
      expect(Math.abs((out.mlm_accuracy.data as Float32Array)[0] - (await metrics.mlmAccuracy.data())[0])).toBeLessThan(1e-6);
      if (objective === 'mlm+nsp') expect(Math.abs((out.nsp_loss.data as Float32Array)[0] - (await metrics.nspLoss.data())[0])).toBeLessThan(1e-5);
      const byVar = new Map([...params].map(([n, v]) => [v.name, n]));
      expect(Object.keys(grads).length).toBe(graph.params.length);
      for (const [varName, gradTensor] of Object.entries(grads)) {
        const name = byVar.get(varName)!;
        const ours = out[`grad.${name}`].data as Float32Array;
        const ref = (await gradTensor.data()) as Float32Array;
        expect(ours.length, name).toBe(ref.length);
        expect(maxRelDiff(ours, ref), name).toBeLessThan(2e-5);
      }
      tf.dispose([value, ...Object.values(grads), ...Object.values(metrics)]);
    } finally {
      model.dispose();
    }
  });
});
