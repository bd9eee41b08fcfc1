// The predict API on random tiny models: label names from id2label, probabilities that sum to 1, one tag per
// word, answers that are spans of the context, and a clear error for a model of another kind.
import '@tensorflow/tfjs-backend-cpu';
import { Rng } from '@bertkit/backend';
import { bertConfig } from '@bertkit/encoder';
import { BertTokenizer } from '@bertkit/tokenizer';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { answerQuestion, chooseEnding, classify, tagWords } from './predict';
import { BertTaskModel, withLabels, type HeadKind } from './task-model';

const VOCAB = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'the', 'cat', 'sat', 'on', 'mat', 'who', '?', '.', 'dog', '##s'];
const tok = BertTokenizer.fromTokens(VOCAB);
const config = withLabels(bertConfig({ vocabSize: VOCAB.length, hiddenSize: 40, numHiddenLayers: 1, numAttentionHeads: 5, intermediateSize: 37, maxPositionEmbeddings: 64 }), ['neg', 'pos']);
const make = (kind: HeadKind) => new BertTaskModel(config, kind, { rng: new Rng(11) });

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('predict API', () => {
  it('classify: id2label names, softmax scores, pairs; regression gives the value', async () => {
    const m = make('sequence-classification');
    const before = tf.memory().numTensors;
    const [a, b] = await classify(m, tok, ['the cat sat', ['the cat', 'the dog']]);
    expect(Object.keys(a.scores)).toEqual(['neg', 'pos']);
    expect(a.scores.neg + a.scores.pos).toBeCloseTo(1, 5);
    expect(a.score).toBe(Math.max(a.scores.neg, a.scores.pos));
    expect(['neg', 'pos']).toContain(b.label);
    expect(tf.memory().numTensors).toBe(before);
    const r = new BertTaskModel({ ...config, numLabels: 1, id2label: undefined, label2id: undefined }, 'sequence-classification', { rng: new Rng(2) });
    const [s] = await classify(r, tok, ['the mat']);
    expect(s.label).toBe('score');
    expect(Number.isFinite(s.score)).toBe(true);
    await expect(tagWords(m, tok, [['the']])).rejects.toThrow(/model: expected a token-classification model, got a sequence-classification model/);
    m.dispose();
    r.dispose();
  });

  it('tagWords: one label per word, sub-words folded into their word', async () => {
    const m = make('token-classification');
    const [tags] = await tagWords(m, tok, [['the', 'cats', 'sat', '.']]);
    expect(tags.map((t) => t.word)).toEqual(['the', 'cats', 'sat', '.']);
    for (const t of tags) expect(['neg', 'pos']).toContain(t.label);
    m.dispose();
  });

  it('answerQuestion: a span of the context; chooseEnding: softmax over the choices', async () => {
    const qa = make('question-answering');
    const context = 'the cat sat on the mat . the dog sat .';
    const a = await answerQuestion(qa, tok, 'who sat ?', context);
    expect(context.includes(a.answer)).toBe(true);
    expect(a.answer.length).toBeGreaterThan(0);
    expect(a.score).toBeGreaterThan(0);
    qa.dispose();
    const mc = make('multiple-choice');
    const c = await chooseEnding(mc, tok, 'the cat sat on', ['the mat .', 'the dog .', 'who ?']);
    expect(c.scores).toHaveLength(3);
    expect(c.scores.reduce((x, y) => x + y, 0)).toBeCloseTo(1, 5);
    expect(c.choice).toBe(c.scores.indexOf(Math.max(...c.scores)));
    await expect(chooseEnding(mc, tok, 'x', ['only'])).rejects.toThrow(/choices: expected at least 2, got 1/);
    mc.dispose();
  });

  it('every prediction leaks no tensor, also when it throws', async () => {
    const before = tf.memory().numTensors;
    const cls = make('sequence-classification');
    expect(await classify(cls, tok, ['the cat sat', ['the cat', 'the dog']])).toHaveLength(2);
    await expect(tagWords(cls, tok, [['the']])).rejects.toThrow(/expected a token-classification model/);
    cls.dispose();
    const tag = make('token-classification');
    expect(await tagWords(tag, tok, [['the', 'cats', 'sat', '.'], ['dog']])).toHaveLength(2);
    tag.dispose();
    const qa = make('question-answering');
    expect((await answerQuestion(qa, tok, 'who sat ?', 'the cat sat on the mat . the dog sat .')).score).toBeGreaterThan(0);
    qa.dispose();
    const mc = make('multiple-choice');
    expect((await chooseEnding(mc, tok, 'the cat sat on', ['the mat .', 'the dog .'])).scores).toHaveLength(2);
    mc.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
