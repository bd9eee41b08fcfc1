import '@tensorflow/tfjs-backend-cpu';
import { Rng, initBackend } from '@bertkit/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { BertInputError, BertModel, disposeBertOutput } from './bert-model.js';
import { bertConfig } from './config.js';
import { Dense, LayerNorm } from './layers/modules.js';
import { countParameters } from './parameter-count.js';

// google-research/bert's test sizes: odd so that a swapped axis shows as a shape error.
const config = bertConfig({
  vocabSize: 99,
  hiddenSize: 40,
  numAttentionHeads: 5,
  numHiddenLayers: 2,
  intermediateSize: 37,
  maxPositionEmbeddings: 16,
});

function inputs(): { inputIds: tf.Tensor2D; tokenTypeIds: tf.Tensor2D; attentionMask: tf.Tensor2D } {
  return {
    inputIds: tf.tensor2d([[1, 5, 9, 2, 0, 0, 0], [1, 7, 8, 2, 11, 12, 2]], [2, 7], 'int32'),
    tokenTypeIds: tf.tensor2d([[0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 1, 1, 1]], [2, 7], 'int32'),
    attentionMask: tf.tensor2d([[1, 1, 1, 1, 0, 0, 0], [1, 1, 1, 1, 1, 1, 1]], [2, 7], 'int32'),
  };
}

describe('BertModel', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('has HF parameter names and PyTorch-sized parameters; kernels stored [in, out]', () => {
    const model = new BertModel(config, { rng: new Rng(1) });
    const params = model.parameters();
    const names = [...params.keys()];
    expect(names.slice(0, 5)).toEqual([
      'embeddings.word_embeddings.weight',
      'embeddings.position_embeddings.weight',
      'embeddings.token_type_embeddings.weight',
      'embeddings.LayerNorm.weight',
      'embeddings.LayerNorm.bias',
    ]);
    expect(names).toContain('encoder.layer.1.attention.self.query.weight');
    expect(names).toContain('encoder.layer.0.attention.output.LayerNorm.bias');
    expect(names).toContain('encoder.layer.1.intermediate.dense.weight');
    expect(names).toContain('encoder.layer.1.output.dense.bias');
    expect(names.slice(-2)).toEqual(['pooler.dense.weight', 'pooler.dense.bias']);
    expect(params.get('encoder.layer.0.intermediate.dense.weight')!.shape).toEqual([40, 37]);
    expect(params.get('encoder.layer.0.output.dense.weight')!.shape).toEqual([37, 40]);
    const total = [...params.values()].reduce((n, v) => n + v.size, 0);
    expect(total).toBe(countParameters(config));
    model.dispose();
    // dispose frees every tensor the model allocated
    const before = tf.memory().numTensors;
    new BertModel(config, { rng: new Rng(1) }).dispose();
    expect(tf.memory().numTensors).toBe(before);
    const noPool = new BertModel(config, { init: 'zeros', addPooler: false });
    expect([...noPool.parameters().keys()].some((n) => n.startsWith('pooler'))).toBe(false);
    noPool.dispose();
  });

  it('module fields mirror the checkpoint keys: each HF name walks the model to its variable', () => {
    const model = new BertModel(config, { init: 'zeros' });
    // snake_case / LayerNorm components → camelCase fields; a Dense's `weight` is its kernel, a LayerNorm's gamma/beta.
    const field = (c: string) => c.replace(/_(\w)/g, (_, x: string) => x.toUpperCase()).replace(/^LayerNorm$/, 'layerNorm');
    const leaf = (parent: unknown, last: string): unknown => {
      if (parent instanceof tf.Variable && last === 'weight') return parent; // embedding tables
      if (parent instanceof Dense) return last === 'weight' ? parent.kernel : parent.bias;
      if (parent instanceof LayerNorm) return last === 'weight' ? parent.gamma : parent.beta;
      return undefined;
    };
    const named = model.namedParameters();
    expect(named.length).toBe(config.numHiddenLayers * 16 + 5 + 2);
    for (const { name, variable } of named) {
      const parts = name.split('.');
      const parent = parts.slice(0, -1).reduce<unknown>((o, c) => (o as Record<string, unknown>)[field(c)], model);
      expect(leaf(parent, parts.at(-1)!), name).toBe(variable);
    }
    expect(model.encoder.layer[1].attention.self.query.kernel).toBe(
      model.parameters().get('encoder.layer.1.attention.self.query.weight'),
    );
    model.dispose();
  });

  it('initialises as the paper: truncated normal (std initializerRange) weights, zero biases, LayerNorm 1/0', () => {
    const model = new BertModel(config, { rng: new Rng(3) });
    const p = model.parameters();
    const w = p.get('embeddings.word_embeddings.weight')!.dataSync() as Float32Array;
    const std = Math.sqrt(w.reduce((s, x) => s + x * x, 0) / w.length);
    // A normal truncated at ±2σ has std 0.880σ.
    expect(std).toBeGreaterThan(0.02 * 0.85);
    expect(std).toBeLessThan(0.02 * 0.91);
    expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(0.04 + 1e-7);
    expect([...p.get('encoder.layer.0.attention.self.key.bias')!.dataSync()].every((x) => x === 0)).toBe(true);
    expect([...p.get('embeddings.LayerNorm.weight')!.dataSync()].every((x) => x === 1)).toBe(true);
    expect([...p.get('embeddings.LayerNorm.bias')!.dataSync()].every((x) => x === 0)).toBe(true);
    const again = new BertModel(config, { rng: new Rng(3) });
    expect(again.parameters().get('pooler.dense.weight')!.dataSync()).toEqual(p.get('pooler.dense.weight')!.dataSync());
    model.dispose();
    again.dispose();
  });

  it('returns the documented shapes and leaks no tensor', () => {
    const model = new BertModel(config, { rng: new Rng(2) });
    const x = inputs();
    const before = tf.memory().numTensors;
    const out = model.forward(x, { outputHiddenStates: true, outputAttentions: true, capture: true });
    expect(out.sequenceOutput.shape).toEqual([2, 7, 40]);
    expect(out.pooledOutput!.shape).toEqual([2, 40]);
    expect(out.hiddenStates!.length).toBe(3);
    expect(out.hiddenStates![0].shape).toEqual([2, 7, 40]);
    expect(out.attentions!.map((a) => a.shape)).toEqual([[2, 5, 7, 7], [2, 5, 7, 7]]);
    expect(out.captured!['layer.1.intermediate_output'].shape).toEqual([2, 7, 37]);
    // Masked keys get probability exactly 0 (HF's float32.min additive mask).
    const probs = out.attentions![0].arraySync() as number[][][][];
    expect(probs[0][2][1].slice(4)).toEqual([0, 0, 0]);
    expect(probs[0][2][1].slice(0, 4).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    disposeBertOutput(out);
    expect(tf.memory().numTensors).toBe(before);
    const plain = model.forward(x);
    expect(plain.hiddenStates).toBeUndefined();
    tf.dispose([plain.sequenceOutput, plain.pooledOutput!]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(Object.values(x));
    model.dispose();
  });

  it('defaults: no token types = all zeros, no mask = all ones', () => {
    const model = new BertModel(config, { rng: new Rng(2) });
    const ids = tf.tensor2d([[1, 5, 9, 2]], [1, 4], 'int32');
    const a = model.forward({ inputIds: ids });
    const b = model.forward({ inputIds: ids, tokenTypeIds: tf.zeros([1, 4], 'int32'), attentionMask: tf.ones([1, 4], 'int32') });
    expect(a.sequenceOutput.dataSync()).toEqual(b.sequenceOutput.dataSync());
    tf.dispose([a.sequenceOutput, b.sequenceOutput, a.pooledOutput!, b.pooledOutput!, ids]);
    model.dispose();
  });

  it('padding does not change the unpadded positions', () => {
    const model = new BertModel(config, { rng: new Rng(4) });
    const short = model.forward({ inputIds: tf.tensor2d([[1, 5, 9, 2]], [1, 4], 'int32') });
    const padded = model.forward({
      inputIds: tf.tensor2d([[1, 5, 9, 2, 0, 0]], [1, 6], 'int32'),
      attentionMask: tf.tensor2d([[1, 1, 1, 1, 0, 0]], [1, 6], 'int32'),
    });
    // A shorter unpadded sequence sees the same positions 0..3 and the same (unmasked) keys.
    const s = short.sequenceOutput.arraySync()[0];
    const p = padded.sequenceOutput.arraySync()[0].slice(0, 4);
    for (let i = 0; i < 4; i++) for (let j = 0; j < 40; j++) expect(Math.abs(s[i][j] - p[i][j])).toBeLessThan(1e-5);
    tf.dispose([short, padded] as unknown as tf.TensorContainer);
    model.dispose();
  });

  it('causal: position i ignores later tokens (LTR ablation), probabilities above the diagonal are 0', () => {
    const model = new BertModel(config, { rng: new Rng(5) });
    const before = tf.memory().numTensors;
    const a = model.forward({ inputIds: tf.tensor2d([[1, 5, 9, 2, 7]], [1, 5], 'int32') }, { causal: true, outputAttentions: true });
    const b = model.forward({ inputIds: tf.tensor2d([[1, 5, 9, 30, 40]], [1, 5], 'int32') }, { causal: true });
    const bi = model.forward({ inputIds: tf.tensor2d([[1, 5, 9, 30, 40]], [1, 5], 'int32') });
    const sa = a.sequenceOutput.arraySync()[0], sb = b.sequenceOutput.arraySync()[0], sbi = bi.sequenceOutput.arraySync()[0];
    for (let i = 0; i < 3; i++) for (let j = 0; j < 40; j++) expect(Math.abs(sa[i][j] - sb[i][j])).toBeLessThan(1e-5);
    // Bidirectionally, position 0 does see the changed tokens.
    expect(Math.max(...sb[0].map((x, j) => Math.abs(x - sbi[0][j])))).toBeGreaterThan(1e-3);
    const probs = a.attentions![0].arraySync()[0]; // [A, T, T]
    for (const head of probs) for (let q = 0; q < 5; q++) for (let k = q + 1; k < 5; k++) expect(head[q][k]).toBe(0);
    tf.dispose([a, b, bi] as unknown as tf.TensorContainer);
    expect(tf.memory().numTensors).toBe(before + 3); // only the three input id tensors remain
    model.dispose();
  });

  it('dropout: off in eval, reproducible from the seed in training, different across seeds', () => {
    const model = new BertModel(config, { rng: new Rng(5) });
    const x = inputs();
    const run = (training: boolean, seed?: number) => {
      const out = model.forward(x, { training, dropoutRng: seed === undefined ? undefined : new Rng(seed) });
      const data = out.sequenceOutput.dataSync().slice();
      tf.dispose([out.sequenceOutput, out.pooledOutput!]);
      return data;
    };
    const evalA = run(false);
    expect(run(false, 9)).toEqual(evalA);
    const t1 = run(true, 7);
    expect(run(true, 7)).toEqual(t1);
    expect(t1).not.toEqual(evalA);
    expect(run(true, 8)).not.toEqual(t1);
    expect(() => run(true)).toThrow(/dropoutRng/);
    const before = tf.memory().numTensors;
    run(true, 1);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('dropout masks come from the Rng, so training outputs agree across backends (cpu vs wasm)', async () => {
    const results: Float32Array[] = [];
    for (const backend of ['cpu', 'wasm'] as const) {
      await initBackend({ backend });
      const model = new BertModel(config, { rng: new Rng(5) });
      const x = inputs();
      const out = model.forward(x, { training: true, dropoutRng: new Rng(77) });
      results.push((await out.sequenceOutput.data()) as Float32Array);
      disposeBertOutput(out);
      tf.dispose(Object.values(x));
      model.dispose();
    }
    await tf.setBackend('cpu');
    let worst = 0;
    for (let i = 0; i < results[0].length; i++) worst = Math.max(worst, Math.abs(results[0][i] - results[1][i]));
    expect(worst).toBeLessThan(1e-5);
  });

  it('is differentiable: every parameter gets a finite gradient, non-zero except the key bias', () => {
    const model = new BertModel(config, { rng: new Rng(8) });
    const x = inputs();
    const weights = tf.randomNormal([2, 7, 40], 0, 1, 'float32', 3);
    const before = tf.memory().numTensors;
    const { value, grads } = tf.variableGrads(() => {
      const out = model.forward(x, { training: true, dropoutRng: new Rng(1) });
      return tf.add(tf.sum(tf.mul(out.sequenceOutput, weights)), tf.sum(out.pooledOutput!)) as tf.Scalar;
    }, [...model.parameters().values()]);
    const byName = new Map([...model.parameters()].map(([n, v]) => [n, grads[v.name]]));
    expect(byName.size).toBe(model.namedParameters().length);
    for (const [name, g] of byName) {
      expect(g, name).toBeDefined();
      const data = g.dataSync();
      expect(data.every(Number.isFinite), name).toBe(true);
      // softmax is shift-invariant, so the key bias gets a zero gradient (as in PyTorch)
      if (!name.endsWith('attention.self.key.bias')) expect(data.some((v) => v !== 0), name).toBe(true);
    }
    tf.dispose([value, ...Object.values(grads)]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([weights, ...Object.values(x)]);
    model.dispose();
  });

  it('rejects bad inputs with typed errors naming the field', () => {
    const model = new BertModel(config, { init: 'zeros' });
    const f32 = tf.zeros([1, 4]) as tf.Tensor2D;
    expect(() => model.forward({ inputIds: f32 })).toThrow(BertInputError);
    expect(() => model.forward({ inputIds: f32 })).toThrow('inputIds: expected an int32 tensor [B, T], got float32 [1,4]');
    const long = tf.zeros([1, 17], 'int32') as tf.Tensor2D;
    expect(() => model.forward({ inputIds: long })).toThrow('a sequence length in [1, 16], got 17');
    const ids = tf.zeros([2, 4], 'int32') as tf.Tensor2D;
    expect(() => model.forward({ inputIds: ids, tokenTypeIds: tf.zeros([2, 5], 'int32') as tf.Tensor2D })).toThrow(/tokenTypeIds/);
    expect(() => model.forward({ inputIds: ids, attentionMask: tf.zeros([1, 4]) as tf.Tensor2D })).toThrow(/attentionMask/);
    expect(() => new BertModel(config)).toThrow(/options.rng/);
    expect(() => new BertModel({ ...config, hiddenSize: 42 }, { init: 'zeros' })).toThrow(/multiple of numAttentionHeads/);
    tf.dispose([f32, long, ids]);
    model.dispose();
  });
});
