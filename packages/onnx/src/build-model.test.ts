// The model's structure (opset, dynamic dims, names) read back from its bytes, and the typed errors, on a
// random odd-sized checkpoint written by BertModel itself (no fixtures needed).
import '@tensorflow/tfjs-backend-cpu';
import { Rng } from '@bertkit/backend';
import { BertModel, bertConfig, stateDict, type RawTensor } from '@bertkit/encoder';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildOnnxModel, IR_VERSION, OPSET } from './build-model.js';
import { OnnxExportError } from './errors.js';
import { GraphBuilder } from './graph-builder.js';
import { headOf } from './heads.js';
import { decodeModel } from './onnx-proto.js';
import { createOrtEncoder } from './ort-encoder.js';

const config = bertConfig({ vocabSize: 23, hiddenSize: 12, numHiddenLayers: 2, numAttentionHeads: 3, intermediateSize: 7, numLabels: 3 });
let tensors: Map<string, RawTensor>;

beforeAll(async () => {
  tf.env().set('IS_TEST', true);
  await tf.setBackend('cpu');
  const model = new BertModel(config, { rng: new Rng(7) });
  tensors = await stateDict(model);
  model.dispose();
  const f = (shape: number[]) => ({ dtype: 'F32' as const, shape, data: new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(0.01) });
  tensors.set('classifier.weight', f([3, 12]));
  tensors.set('classifier.bias', f([3]));
});

describe('buildOnnxModel', () => {
  it('writes opset 17, int64 inputs with symbolic dims, and the head outputs', () => {
    const m = decodeModel(buildOnnxModel(config, tensors, { head: 'seqcls' }).bytes);
    expect(m.irVersion).toBe(IR_VERSION);
    expect(m.opsetImport).toEqual([{ domain: '', version: OPSET }]);
    expect(m.graph.input.map((i) => i.name)).toEqual(['input_ids', 'attention_mask', 'token_type_ids']);
    for (const i of m.graph.input) {
      expect(i.type.tensorType.elemType).toBe(7);
      expect(i.type.tensorType.shape.dim).toEqual([{ dimParam: 'batch_size' }, { dimParam: 'sequence_length' }]);
    }
    expect(m.graph.output.map((o) => o.name)).toEqual(['logits']);
    expect(m.graph.output[0].type.tensorType.shape.dim).toEqual([{ dimParam: 'batch_size' }, { dimValue: 3 }]);
    const ops = new Set(m.graph.node.map((n) => n.opType));
    for (const op of ['LayerNormalization', 'Erf', 'Softmax', 'Gather']) expect(ops).toContain(op);
    expect(m.graph.node.every((n) => !n.domain)).toBe(true);
  });

  it('uses the com.microsoft contrib ops only when asked to optimize', () => {
    const m = decodeModel(buildOnnxModel(config, tensors, { head: 'base', optimize: true }).bytes);
    expect(m.opsetImport).toContainEqual({ domain: 'com.microsoft', version: 1 });
    const contrib = new Set(m.graph.node.filter((n) => n.domain === 'com.microsoft').map((n) => n.opType));
    expect([...contrib].sort()).toEqual(['Attention', 'BiasGelu', 'SkipLayerNormalization']);
    expect(m.graph.output.map((o) => o.name)).toEqual(['last_hidden_state', 'pooler_output']);
  });

  it('shapes the multiple-choice inputs [batch_size, num_choices, sequence_length]', () => {
    const mc = new Map(tensors);
    mc.set('classifier.weight', { dtype: 'F32', shape: [1, 12], data: new Float32Array(12) });
    mc.set('classifier.bias', { dtype: 'F32', shape: [1], data: new Float32Array(1) });
    const model = buildOnnxModel(config, mc, { head: 'mc' });
    expect(model.inputs[0].dims).toEqual(['batch_size', 'num_choices', 'sequence_length']);
    expect(model.outputs).toEqual([{ name: 'logits', dims: ['batch_size', 'num_choices'] }]);
  });

  it('names the missing weight, the wrong shape and the unknown architecture', () => {
    expect(() => buildOnnxModel(config, tensors, { head: 'mlm' })).toThrow(/cls\.predictions\.transform\.dense\.weight: expected a checkpoint tensor, got absent/);
    const bad = new Map(tensors);
    bad.set('classifier.weight', { dtype: 'F32', shape: [4, 12], data: new Float32Array(48) });
    expect(() => buildOnnxModel(config, bad, { head: 'seqcls' })).toThrow(/classifier\.weight: expected shape \[3, 12\], got \[4, 12\]/);
    expect(() => headOf({ ...config, architectures: ['RobertaModel'] })).toThrow(OnnxExportError);
    expect(headOf({ ...config, architectures: ['BertForQuestionAnswering'] })).toBe('qa');
    expect(headOf({ ...config, architectures: undefined })).toBe('base');
  });
});

describe('model size', () => {
  it('refuses checkpoints over 2 GiB before reading them (ONNX external data is not implemented)', () => {
    const huge = new Map(tensors);
    huge.set('cls.predictions.decoder.weight', { dtype: 'F32', shape: [2 ** 19, 1024], data: new Float32Array(0) });
    expect(() => buildOnnxModel(config, huge, { head: 'base' })).toThrow(/external data is not supported\), got 2\d{9} bytes/);
  });
});

describe('GraphBuilder', () => {
  it('keeps names unique and shares equal constants', () => {
    const g = new GraphBuilder();
    expect(g.fresh('x')).toBe('x');
    expect(g.fresh('x')).toBe('x_1');
    expect(() => g.reserve('x')).toThrow(/used twice/);
    expect(g.int64([0, 0, -1])).toBe(g.int64([0, 0, -1]));
    expect(g.int64([1], true)).not.toBe(g.int64([1]));
    expect(g.scalar(0.5)).toBe(g.scalar(0.5));
    expect(() => g.float('w', new Float32Array(5), [2, 3])).toThrow(/has 5 values, dims \[2,3\] need 6/);
  });
});

describe('createOrtEncoder', () => {
  it('rejects inputs that do not fill the shape, and bad thread counts', async () => {
    const bytes = buildOnnxModel(config, tensors, { head: 'base' }).bytes;
    await expect(createOrtEncoder(bytes, { threads: 0 })).rejects.toThrow(/threads: expected a positive integer, got 0/);
    const ort = await createOrtEncoder(bytes, { threads: 1 });
    await expect(ort.run({ inputIds: [1, 2, 3] }, [2, 2])).rejects.toThrow(/inputIds: expected 4 values for the shape, got 3/);
    const out = await ort.run({ inputIds: [1, 5, 6, 2] }, [1, 4]); // mask and segments default to ones / zeros
    expect(out.last_hidden_state.dims).toEqual([1, 4, 12]);
    expect(out.pooler_output.dims).toEqual([1, 12]);
    await ort.dispose();
    await expect(ort.run({ inputIds: [1] }, [1, 1])).rejects.toThrow(/disposed/);
  });
});
