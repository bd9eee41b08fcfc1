// End to end on a synthetic corpus: the MLM loss of a small BERT falls, and a run stopped after a checkpoint
// (real files: HF model directory + optimizer + trainer state) resumes to exactly the uninterrupted losses.
import '@tensorflow/tfjs-backend-cpu';
import { Rng } from '@bertkit/backend';
import { bertConfig } from '@bertkit/encoder';
import { AdamW, linearWarmupDecay, skipItems, train } from '@bertkit/training';
import * as tf from '@tensorflow/tfjs-core';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collateInstances, type PretrainingBatch } from './data-batch.js';
import type { TrainingInstance } from './instances.js';
import { BertForPreTraining } from './pretraining-model.js';
import { pretrainingCheckpointer, resumePretraining } from './pretraining-model-node.js';

const root = mkdtempSync(join(tmpdir(), 'bertkit-pretrain-'));
beforeAll(async () => {
  tf.env().set('IS_TEST', true);
  await tf.setBackend('cpu');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const config = bertConfig({
  vocabSize: 99, hiddenSize: 32, numHiddenLayers: 2, numAttentionHeads: 4, intermediateSize: 37, maxPositionEmbeddings: 32,
});
const T = 16;
const P = 3;

/** Endless batches from a seed (position i is always the same batch): each segment draws 6 tokens from one of 10
 * "topics" of 5 ids, B shares A's topic when IsNext, 3 tokens per row are masked — learnable from context. */
function* syntheticBatches(seed: number, batchSize = 8): Generator<PretrainingBatch> {
  const rng = new Rng(seed);
  const word = (topic: number) => 5 + topic * 9 + rng.int(5);
  for (;;) {
    const rows: TrainingInstance[] = [];
    for (let b = 0; b < batchSize; b++) {
      const topicA = rng.int(10);
      const isNext = rng.random() < 0.5;
      const topicB = isNext ? topicA : (topicA + 1 + rng.int(9)) % 10;
      const ids = [1];
      for (let j = 0; j < 6; j++) ids.push(word(topicA));
      ids.push(2);
      const bStart = ids.length;
      for (let j = 0; j < 6; j++) ids.push(word(topicB));
      ids.push(2);
      const positions = rng.shuffle([1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13]).slice(0, P).sort((x, y) => x - y);
      const labels = positions.map((p) => ids[p]);
      for (const p of positions) ids[p] = 3; // [MASK]
      rows.push({ inputIds: Int32Array.from(ids), segmentBStart: bStart, nspLabel: isNext ? 0 : 1, maskedPositions: Int32Array.from(positions), maskedLabels: Int32Array.from(labels) });
    }
    yield collateInstances(rows, T, P);
  }
}

const schedule = linearWarmupDecay({ peakLr: 1e-2, warmupSteps: 2, totalSteps: 40 });

async function run(dir: string, steps: number, resume: boolean) {
  let model: BertForPreTraining;
  const optimizer = new AdamW();
  let rng = new Rng(5);
  let startStep = 0;
  let dataPosition = 0;
  if (resume) {
    const r = (await resumePretraining(dir))!;
    expect(r.state.config).toEqual({ objective: 'mlm+nsp', seed: 5 });
    model = r.model;
    optimizer.setState(r.optimizer);
    rng = Rng.fromState(r.state.rngState!);
    startStep = r.state.step;
    dataPosition = r.state.dataPosition;
  } else {
    model = BertForPreTraining.create(config, { rng: new Rng(1) });
  }
  const { params, lossFn } = model.asTask();
  const r = await train({
    params, lossFn, optimizer, schedule, steps, startStep, dataPosition, rng,
    data: skipItems(syntheticBatches(9), dataPosition),
    checkpointEvery: 3,
    checkpoint: pretrainingCheckpointer(dir, model, optimizer, { keepLast: 2, config: { seed: 5 } }),
  });
  model.dispose();
  optimizer.dispose();
  return r;
}

describe('pre-training end to end (cpu)', () => {
  it('the MLM loss falls over 40 steps with dropout on', async () => {
    const r = await run(join(root, 'long'), 40, false);
    const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
    expect(mean(r.losses.slice(-5))).toBeLessThan(mean(r.losses.slice(0, 5)) - 0.4); // measured: 5.25 → 4.66
    const ck = join(root, 'long', 'checkpoint-00000040');
    expect(JSON.parse(readFileSync(join(ck, 'config.json'), 'utf8')).architectures).toEqual(['BertForPreTraining']);
    expect(existsSync(join(ck, 'optimizer.safetensors'))).toBe(true);
  });

  it('stopping after step 7 (checkpoint 6) and resuming from disk repeats the uninterrupted losses bit for bit', async () => {
    const full = await run(join(root, 'full'), 10, false);
    const dir = join(root, 'cut');
    const part = await run(dir, 7, false);
    rmSync(join(dir, 'checkpoint-00000007'), { recursive: true }); // as if killed between 6 and the final save
    const rest = await run(dir, 10, true);
    expect(part.losses).toEqual(full.losses.slice(0, 7));
    expect(rest.losses).toEqual(full.losses.slice(6));
  });
});
