import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { Rng } from '@bertkit/backend';
import { BertModel, bertConfig } from '@bertkit/encoder';
import { BertTokenizer } from '@bertkit/tokenizer';
import { sharedMissing, sharedPath } from '@bertkit/test-utils';
import { tokenClassificationFineTuneTask } from '../brown/finetune';
import type { TokenClassificationTask } from '../brown/tasks';
import { conllFineTuneTask } from '../conll/finetune';
import { readConllFile } from '../node';
import { featureTaggerExperiment } from './experiment';
import { parseLayerSelection } from './layer-selection';

const TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'the', 'cat', 'sat', 'on', 'mat', '.', 'dog', '##s', 'run'];
const WORDS = ['the', 'the', 'the', 'cat', 'sat', 'on', 'mat', '.', 'dog', 'dogs', 'run'];

function tinyModel(): BertModel {
  const config = bertConfig({ vocabSize: TOKENS.length, hiddenSize: 32, numHiddenLayers: 2, numAttentionHeads: 4, intermediateSize: 37, maxPositionEmbeddings: 40 });
  return new BertModel(config, { rng: new Rng(4), addPooler: false });
}

/** Tag 1 ("after-the") when the previous word is `the`, else 0: the word alone does not decide it. */
function toyTask(n: number, seed: number): TokenClassificationTask {
  const rng = new Rng(seed);
  const make = (m: number, p: string) =>
    Array.from({ length: m }, (_, i) => {
      const words = Array.from({ length: rng.randint(3, 7) }, () => rng.choice(WORDS));
      return { id: `${p}:${i}`, words, labels: words.map((_, j) => (j > 0 && words[j - 1] === 'the' ? 1 : 0)) };
    });
  return { labels: ['other', 'after-the'], train: make(n, 'train'), dev: make(40, 'dev') };
}

describe('featureTaggerExperiment (§5.3 feature-based side)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('trains a BiLSTM on frozen features and scores dev with the task metric, above the most-frequent-tag baseline', async () => {
    const model = tinyModel();
    const tokenizer = BertTokenizer.fromTokens(TOKENS, { lowercase: true });
    const task = tokenClassificationFineTuneTask('toy', toyTask(80, 1));
    const before = tf.memory().numTensors;
    const seen: number[] = [];
    const r = await featureTaggerExperiment(model, tokenizer, task, { layers: parseLayerSelection('sum:-1,-2'), hiddenSize: 16, numLayers: 1, epochs: 12, lr: 0.03, batchSize: 8, seed: 2, onEpoch: (e) => seen.push(e.epoch) });
    expect(tf.memory().numTensors).toBe(before);
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(r.featureWidth).toBe(32);
    expect(r.layers).toBe('sum:-1,-2');
    expect(r.mainMetric).toBe('accuracy');
    expect(r.epochs[11].meanLoss).toBeLessThan(r.epochs[0].meanLoss);
    expect(r.baseline?.accuracy).toBeLessThan(0.8);
    expect(r.scores.accuracy).toBeGreaterThan(Math.max(0.9, (r.baseline?.accuracy ?? 1) + 0.1));
    model.dispose();
  });
});

const CONLL = 'data/conll2003';
const conllMissing = sharedMissing(CONLL);
describe.skipIf(conllMissing)(`feature-based tagger on CoNLL-2003${conllMissing ? ` (skipped: ${conllMissing})` : ''}`, () => {
  it('runs on the first train/dev sentences of the real files and reports conlleval F1', async () => {
    await tf.setBackend('cpu');
    const model = tinyModel();
    // the real vocabulary is not needed here: an inline one maps unknown words to [UNK] (features still flow)
    const tokenizer = BertTokenizer.fromTokens(TOKENS, { lowercase: true });
    const dir = sharedPath(CONLL);
    const train = readConllFile(`${dir}/train.txt`);
    const dev = readConllFile(`${dir}/valid.txt`);
    const task = conllFineTuneTask({ ...train, sentences: train.sentences.slice(0, 30) }, { ...dev, sentences: dev.sentences.slice(0, 20) }, 40);
    const r = await featureTaggerExperiment(model, tokenizer, task, { layers: parseLayerSelection('-1'), hiddenSize: 8, numLayers: 2, epochs: 1, seed: 1 });
    expect(r.mainMetric).toBe('f1');
    expect(r.trainSentences).toBe(30);
    expect(Object.keys(r.scores).sort()).toEqual(['accuracy', 'f1', 'precision', 'recall']);
    expect((r.predictions as string[][]).map((s) => s.length)).toEqual(dev.sentences.slice(0, 20).map((s) => s.words.length));
    model.dispose();
  });
});
