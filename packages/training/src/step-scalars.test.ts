import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { StepScalarLog } from './step-scalars.js';

describe('StepScalarLog', () => {
  it('reads every pending step in one batch: micro-batch means, the grad norm, each tensor freed once', async () => {
    await tf.setBackend('cpu');
    const before = tf.memory().numTensors;
    const log = new StepScalarLog();
    const shared = tf.scalar(0.5); // a metric that is the loss tensor itself
    log.push({ losses: [shared, tf.scalar(1.5)], metrics: new Map([['mlmLoss', [shared, tf.scalar(2)]], ['acc', [tf.scalar(1, 'int32'), tf.scalar(0, 'int32')]]]), gradNorm: tf.scalar(3) });
    log.push({ losses: [tf.scalar(7)], metrics: new Map(), gradNorm: null });
    expect(log.size).toBe(2);
    const read = await log.flush();
    expect(read).toEqual([
      { loss: 1, metrics: { mlmLoss: 1.25, acc: 0.5 }, gradNorm: 3 },
      { loss: 7, metrics: {}, gradNorm: Number.NaN },
    ]);
    expect(log.size).toBe(0);
    expect(await log.flush()).toEqual([]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('dispose frees what was never read', () => {
    const before = tf.memory().numTensors;
    const log = new StepScalarLog();
    log.push({ losses: [tf.scalar(1)], metrics: new Map([['m', [tf.scalar(2)]]]), gradNorm: tf.scalar(3) });
    log.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
