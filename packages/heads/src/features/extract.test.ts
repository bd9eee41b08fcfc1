import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { Rng } from '@bertkit/backend';
import { BertModel, bertConfig } from '@bertkit/encoder';
import { BertTokenizer } from '@bertkit/tokenizer';
import { extractFeatures, splitPairLine } from './extract';
import { featureJsonLine } from './jsonl';
import { FeatureConfigError, parseLayerList, parseLayerSelection, selectLayers } from './layer-selection';
import { roundLikePython } from './round';
import { wordFeatures } from './word-features';

const TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'the', 'cat', 'sat', 'on', 'mat', '.', 'dog', '##s', 'run'];

function tinyModel(layers = 4): BertModel {
  const config = bertConfig({ vocabSize: TOKENS.length, hiddenSize: 40, numHiddenLayers: layers, numAttentionHeads: 4, intermediateSize: 37, maxPositionEmbeddings: 24 });
  return new BertModel(config, { rng: new Rng(3), addPooler: false });
}

/** hiddenStates of one sentence as nested arrays [L + 1][T][H]. */
function states(model: BertModel, ids: number[], types = ids.map(() => 0)): number[][][] {
  return tf.tidy(() => {
    const t = (x: number[]) => tf.tensor2d([x], [1, x.length], 'int32');
    const out = model.forward({ inputIds: t(ids), tokenTypeIds: t(types) }, { outputHiddenStates: true });
    return (out.hiddenStates as tf.Tensor3D[]).map((h) => (h.arraySync() as number[][][])[0]);
  });
}

describe('layer selection', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('parses the specs of Table 7 and extract_features.py', async () => {
    expect(parseLayerSelection('-2')).toEqual({ kind: 'index', index: -2 });
    expect(parseLayerSelection('sum-last-4')).toEqual({ kind: 'sum', indices: [-1, -2, -3, -4] });
    expect(parseLayerSelection('concat-last-4')).toEqual({ kind: 'concat', indices: [-1, -2, -3, -4] });
    expect(parseLayerSelection('weighted:-1=0.5,0=2')).toEqual({ kind: 'weighted', indices: [-1, 0], weights: [0.5, 2] });
    expect(parseLayerSelection('-1,-3')).toEqual({ kind: 'concat', indices: [-1, -3] });
    expect(parseLayerList('-1,-2')).toEqual([{ kind: 'index', index: -1 }, { kind: 'index', index: -2 }]);
    expect(parseLayerList('-1;sum-last-4').map((s) => s.kind)).toEqual(['index', 'sum']);
    expect(() => parseLayerSelection('last')).toThrow(FeatureConfigError);
    expect(() => parseLayerSelection('weighted:-1')).toThrow(/index=weight/);
  });

  it('combines hidden states exactly as sums / concatenations of hiddenStates', async () => {
    const model = tinyModel();
    const ids = [2, 5, 6, 7, 3];
    const hs = states(model, ids); // [5][5][40]
    const before = tf.memory().numTensors;
    const run = (spec: string) =>
      tf.tidy(() => {
        const out = model.forward({ inputIds: tf.tensor2d([ids], [1, 5], 'int32') }, { outputHiddenStates: true });
        return (selectLayers(out.hiddenStates as tf.Tensor3D[], parseLayerSelection(spec)).arraySync() as number[][][])[0];
      });
    const sum4 = run('sum-last-4');
    const cat = run('concat-last-4');
    const w = run('weighted:-1=0.25,0=-2');
    const sumAll = run('sum-all');
    expect(tf.memory().numTensors).toBe(before);
    expect(run('-2')[3][7]).toBeCloseTo(hs[3][3][7], 6);
    expect(run('0')[1][0]).toBeCloseTo(hs[0][1][0], 6);
    for (const t of [0, 2, 4]) {
      for (const j of [0, 13, 39]) {
        expect(sum4[t][j]).toBeCloseTo(hs[4][t][j] + hs[3][t][j] + hs[2][t][j] + hs[1][t][j], 5);
        expect(sumAll[t][j]).toBeCloseTo(hs[4][t][j] + hs[3][t][j] + hs[2][t][j] + hs[1][t][j], 5);
        expect(w[t][j]).toBeCloseTo(0.25 * hs[4][t][j] - 2 * hs[0][t][j], 5);
        expect(cat[t][j]).toBeCloseTo(hs[4][t][j], 6); // concat order: -1, -2, -3, -4
        expect(cat[t][40 + j]).toBeCloseTo(hs[3][t][j], 6);
        expect(cat[t][120 + j]).toBeCloseTo(hs[1][t][j], 6);
      }
    }
    expect(cat[0]).toHaveLength(160);
    expect(() => run('-6')).toThrow(/\[-5, 4\].*got -6/);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});

describe('extractFeatures (extract_features.py)', () => {
  const tokenizer = BertTokenizer.fromTokens(TOKENS, { lowercase: true });

  it('rounds like Python round(x, 6), ties to even', async () => {
    expect(roundLikePython(0.0078125)).toBe(0.007812);
    expect(roundLikePython(0.0234375)).toBe(0.023438);
    expect(roundLikePython(-0.1234565)).toBe(-0.123456); // binary value is just below the half (as Python)
    expect(roundLikePython(2.5e-7)).toBe(0);
    expect(roundLikePython(1.23456749)).toBe(1.234567);
    expect(splitPairLine('the cat ||| the dog')).toEqual(['the cat', 'the dog']);
    expect(splitPairLine('a|||b')).toEqual(['a|||b', null]);
  });

  it('writes tokens with [CLS]/[SEP] and each requested layer, values equal to hiddenStates rounded to 6 places', async () => {
    const model = tinyModel();
    const before = tf.memory().numTensors;
    const [line] = await extractFeatures(model, tokenizer, ['The cats sat.'], { layers: parseLayerList('-1,-2') });
    expect(tf.memory().numTensors).toBe(before);
    const hs = states(model, [2, 5, 6, 12, 7, 10, 3]);
    const json = JSON.parse(featureJsonLine(line)) as { linex_index: number; features: { token: string; layers: { index: number; values: number[] }[] }[] };
    expect(json.linex_index).toBe(0);
    expect(json.features.map((f) => f.token)).toEqual(['[CLS]', 'the', 'cat', '##s', 'sat', '.', '[SEP]']);
    expect(json.features[3].layers.map((l) => l.index)).toEqual([-1, -2]);
    expect(json.features[3].layers[0].values).toHaveLength(40);
    expect(json.features[3].layers[1].values[5]).toBe(roundLikePython(Math.fround(hs[3][3][5])));
    expect(Math.abs(json.features[6].layers[0].values[0] - hs[4][6][0])).toBeLessThanOrEqual(5e-7 + 1e-9);
    // key order and number format as json.dumps of the original (plain decimals)
    expect(featureJsonLine(line).startsWith('{"linex_index":0,"features":[{"token":"[CLS]","layers":[{"index":-1,"values":[')).toBe(true);
    model.dispose();
  });

  it('pools words (first sub-token or mean) and handles sentence pairs', async () => {
    const model = tinyModel(2);
    const hs = states(model, [2, 5, 6, 12, 3, 11, 3], [0, 0, 0, 0, 0, 1, 1]);
    const sel = [parseLayerSelection('-1')];
    const [first] = await extractFeatures(model, tokenizer, ['the cats ||| dog'], { layers: sel, pooling: 'first' });
    const [mean] = await extractFeatures(model, tokenizer, ['the cats ||| dog'], { layers: sel, pooling: 'mean' });
    expect(first.tokens).toEqual(['the', 'cats', 'dog']);
    expect(first.layers[0].values[40 + 3]).toBeCloseTo(hs[2][2][3], 5);
    expect(mean.layers[0].values[40 + 3]).toBeCloseTo((hs[2][2][3] + hs[2][3][3]) / 2, 5);
    expect(mean.layers[0].values[80 + 9]).toBeCloseTo(hs[2][5][9], 5);
    model.dispose();
  });

  it('cuts long texts into windows and takes each token from its max-context window', async () => {
    const model = tinyModel(2);
    const text = 'the cat sat on the mat . the dog sat . the cat run on the mat .';
    const n = tokenizer.encode(text, null, { addSpecialTokens: false }).ids.length; // 17
    const [line] = await extractFeatures(model, tokenizer, [text], { layers: [parseLayerSelection('-1')], maxSeqLength: 10, docStride: 4 });
    expect(line.tokens).toHaveLength(n + 2);
    expect(line.tokens.slice(1, -1)).toEqual(tokenizer.encode(text, null, { addSpecialTokens: false }).tokens);
    // windows start at 0, 4, 8, 12 (8 tokens each); token 5 is in windows 0 (ctx min(5, 2)=2) and 4 (min(1, 6)=1) → window 0
    const ids = tokenizer.encode(text, null, { addSpecialTokens: false }).ids;
    const w0 = states(model, [2, ...ids.slice(0, 8), 3]);
    const w1 = states(model, [2, ...ids.slice(4, 12), 3]);
    expect(line.layers[0].values[(1 + 5) * 40 + 2]).toBeCloseTo(w0[2][6][2], 5);
    // token 6 is in window 0 (min(6, 1)=1) and window 4 (min(2, 5)=2) → window 4, position 6 - 4 + 1 = 3
    expect(line.layers[0].values[(1 + 6) * 40 + 2]).toBeCloseTo(w1[2][3][2], 5);
    await expect(extractFeatures(model, tokenizer, [text], { layers: [parseLayerSelection('-1')], maxSeqLength: 99 })).rejects.toThrow(/maxSeqLength: expected an integer in \[3, 24\], got 99/);
    model.dispose();
  });

  it('gives the tagger one vector per word at its first sub-token, zeros for truncated words', async () => {
    const model = tinyModel(2);
    const hs = states(model, [2, 5, 6, 12, 7, 3]);
    const before = tf.memory().numTensors;
    const wf = await wordFeatures(model, tokenizer, [['the', 'cats', 'sat'], ['dog']], { layers: parseLayerSelection('concat:-1,-2') });
    expect(tf.memory().numTensors).toBe(before);
    expect(wf.width).toBe(80);
    expect(wf.sentences.map((s) => s.length)).toEqual([240, 80]);
    expect(wf.sentences[0][80 + 1]).toBeCloseTo(hs[2][2][1], 5);
    expect(wf.sentences[0][80 + 41]).toBeCloseTo(hs[1][2][1], 5);
    const mean = await wordFeatures(model, tokenizer, [['the', 'cats', 'sat']], { layers: parseLayerSelection('-1'), pooling: 'mean' });
    expect(mean.sentences[0][40 + 1]).toBeCloseTo((hs[2][2][1] + hs[2][3][1]) / 2, 5);
    const cut = await wordFeatures(model, tokenizer, [['the', 'cats', 'sat']], { layers: parseLayerSelection('-1'), maxLength: 4 });
    expect(cut.truncatedWords).toBe(1);
    expect(Array.from(cut.sentences[0].subarray(80))).toEqual(new Array(40).fill(0));
    model.dispose();
  });
});
