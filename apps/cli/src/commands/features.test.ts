import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { Rng, initBackend } from '@bertkit/backend';
import { BertModel, bertConfig } from '@bertkit/encoder';
import { saveModel } from '@bertkit/encoder/node';
import { extractFeatures, featureJsonLine, parseLayerList } from '@bertkit/heads';
import { BertTokenizer } from '@bertkit/tokenizer';
import { saveTokenizer } from '@bertkit/tokenizer/node';
import { runCli } from '../cli.js';
import { capture, tempDir } from '../test-io.js';

const TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'the', 'cat', 'sat', 'on', 'mat', '.', 'dog', '##s', 'john', 'paris', 'in', 'lives'];

async function modelDir(): Promise<{ dir: string; model: BertModel; tokenizer: BertTokenizer }> {
  const dir = tempDir('bert-features-');
  const tokenizer = BertTokenizer.fromTokens(TOKENS, { lowercase: true });
  const config = bertConfig({ vocabSize: TOKENS.length, hiddenSize: 32, numHiddenLayers: 4, numAttentionHeads: 4, intermediateSize: 37, maxPositionEmbeddings: 32 });
  const model = new BertModel(config, { rng: new Rng(8), addPooler: false });
  await saveModel(dir, model);
  await saveTokenizer(tokenizer, dir);
  return { dir, model, tokenizer };
}

/** A made-up CoNLL-2003-format file (not the licensed data): PER / LOC entities in fixed patterns. */
function conllText(n: number, seed: number): string {
  const rng = new Rng(seed);
  const out = ['-DOCSTART- -X- -X- O', ''];
  for (let i = 0; i < n; i++) {
    const rows = rng.random() < 0.5 ? [['John', 'B-PER'], ['lives', 'O'], ['in', 'O'], ['Paris', 'B-LOC'], ['.', 'O']] : [['the', 'O'], ['dog', 'O'], ['sat', 'O'], ['on', 'O'], ['the', 'O'], ['mat', 'O'], ['.', 'O']];
    for (const [w, t] of rows) out.push(`${w} NN O ${t}`);
    out.push('');
  }
  return `${out.join('\n')}\n`;
}

describe('bert features', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'cpu' });
  });

  it('extract writes extract_features.py JSONL equal to the library, one line per input line', async () => {
    const { dir, model, tokenizer } = await modelDir();
    const input = join(dir, 'input.txt');
    writeFileSync(input, 'The cats sat on the mat.\nthe dog ||| john lives in paris\n');
    const out = join(dir, 'features.jsonl');
    const c = capture();
    expect(await runCli(['features', 'extract', '--model', dir, '--input', input, '--layers=-1,-2', '--out', out, '--backend', 'cpu'], c.io)).toBe(0);
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    const ref = await extractFeatures(model, tokenizer, ['The cats sat on the mat.', 'the dog ||| john lives in paris'], { layers: parseLayerList('-1,-2') });
    expect(lines).toEqual(ref.map((r) => featureJsonLine(r)));
    const j = JSON.parse(lines[1]) as { linex_index: number; features: { token: string; layers: { index: number; values: number[] }[] }[] };
    expect(j.linex_index).toBe(1);
    expect(j.features.map((f) => f.token)).toEqual(['[CLS]', 'the', 'dog', '[SEP]', 'john', 'lives', 'in', 'paris', '[SEP]']);
    expect(j.features[0].layers.map((l) => [l.index, l.values.length])).toEqual([[-1, 32], [-2, 32]]);
    // words, mean of sub-tokens, to stdout
    const w = capture();
    const before = tf.memory().numTensors;
    expect(await runCli(['features', 'extract', '--model', dir, '--input', input, '--layers', 'concat-last-4', '--pooling', 'mean', '--backend', 'cpu'], w.io)).toBe(0);
    expect(tf.memory().numTensors).toBe(before); // the command disposes the model it loaded
    const first = JSON.parse(w.out().split('\n')[0]) as { features: { token: string; layers: { index: string; values: number[] }[] }[] };
    expect(first.features.map((f) => f.token)).toEqual(['The', 'cats', 'sat', 'on', 'the', 'mat', '.']);
    expect(first.features[1].layers[0]).toMatchObject({ index: 'concat:-1,-2,-3,-4' });
    expect(first.features[1].layers[0].values).toHaveLength(128);
    const bad = capture();
    expect(await runCli(['features', 'extract', '--model', dir, '--input', input, '--layers=-9', '--backend', 'cpu'], bad.io)).not.toBe(0);
    expect(bad.err()).toMatch(/layer index: expected an integer in \[-5, 4\].*got -9/);
    model.dispose();
  });

  it('train-tagger trains the BiLSTM on frozen features of a CoNLL file and prints conlleval with the baseline', async () => {
    const { dir, model } = await modelDir();
    model.dispose();
    writeFileSync(join(dir, 'train.txt'), conllText(24, 1));
    writeFileSync(join(dir, 'dev.txt'), conllText(8, 2));
    const out = join(dir, 'tagger');
    const c = capture();
    const args = ['features', 'train-tagger', '--model', dir, '--task', 'conll', '--train', join(dir, 'train.txt'), '--dev', join(dir, 'dev.txt'), '--layers', 'sum-last-4', '--epochs', '6', '--lr', '0.03', '--hidden', '8', '--batch-size', '4', '--out', out, '--backend', 'cpu'];
    expect(await runCli(args, c.io)).toBe(0);
    expect(c.out()).toMatch(/^processed \d+ tokens with \d+ phrases; found: \d+ phrases; correct: \d+\.\naccuracy: /);
    expect(c.out()).toMatch(/conll feature-based \(sum:-1,-2,-3,-4, BiLSTM 2×8, 6 epochs\): f1 \d+\.\d{4}, precision/);
    expect(c.out()).toMatch(/baseline \(majority \/ most frequent\): f1 /);
    expect(c.err()).toMatch(/epoch 6: loss \d\.\d{4}, dev \d+\.\d{4} f1/);
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')) as { scores: { f1: number }; epochs: unknown[]; config: { hiddenSize: number } };
    expect(metrics.epochs).toHaveLength(6);
    expect(metrics.config.hiddenSize).toBe(8);
    // the predictions file is conlleval input, and `bert eval conll` gives the same F1
    const e = capture();
    expect(await runCli(['eval', 'conll', '--predictions', join(out, 'predictions.txt'), '--json'], e.io)).toBe(0);
    expect((JSON.parse(e.out()) as { f1: number }).f1).toBeCloseTo(metrics.scores.f1, 10);
    const bad = capture();
    expect(await runCli(['features', 'train-tagger', '--model', dir, '--task', 'squad'], bad.io)).toBe(2);
    expect(bad.err()).toMatch(/--task: expected one of conll, brown-pos, got 'squad'/);
  });
});
