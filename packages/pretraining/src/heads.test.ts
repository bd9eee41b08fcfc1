import '@tensorflow/tfjs-backend-cpu';
import { Rng } from '@bertkit/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { NspHead } from './heads.js';

beforeAll(async () => {
  tf.env().set('IS_TEST', true);
  await tf.setBackend('cpu');
});

const config = { hiddenSize: 6, initializerRange: 0.5 };

describe('NspHead', () => {
  it('is a dense H→2 with HF names', () => {
    const head = new NspHead(config, new Rng(1));
    const pooled = tf.ones([3, 6]) as tf.Tensor2D;
    const out = head.apply(pooled);
    expect(out.shape).toEqual([3, 2]);
    const k = head.dense.kernel.arraySync() as number[][];
    expect(out.dataSync()[1]).toBeCloseTo(k.reduce((s, row) => s + row[1], 0), 5);
    expect(head.params().map((p) => p.name)).toEqual(['cls.seq_relationship.weight', 'cls.seq_relationship.bias']);
    tf.dispose([pooled, out]);
    head.dispose();
  });
});
