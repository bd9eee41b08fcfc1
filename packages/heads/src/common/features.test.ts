// Feature conversion on an inline vocabulary: exact ids, type ids, first-sub-token labels, padding, SWAG choices.
import { BertTokenizer } from '@bertkit/tokenizer';
import { describe, expect, it } from 'vitest';
import { glueFeatures } from '../glue/finetune';
import { GLUE_TASKS } from '../glue/tasks';
import { collateSwag, swagFeatures } from '../swag/finetune';
import { IGNORE_INDEX } from './batch';
import { collateSequences, encodeSequence } from './sequence-features';
import { collateTokens, encodeWords, wordPredictions } from './token-features';

const VOCAB = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'the', 'cat', 'sat', 'on', 'mat', 'dog', "'", 's', 'un', '##happy', '.', 'ran'];
const tok = BertTokenizer.fromTokens(VOCAB);
const words = (ids: number[]) => ids.map((i) => VOCAB[i]).join(' ');

describe('encodeWords', () => {
  it('labels the first sub-token of each word, -100 elsewhere; punctuation inside a word stays with it', () => {
    const f = encodeWords(tok, ['the', "dog's", 'unhappy', '.'], [0, 1, 2, 3]);
    expect(words(f.inputIds)).toBe("[CLS] the dog ' s un ##happy . [SEP]");
    expect(f.labels).toEqual([IGNORE_INDEX, 0, 1, IGNORE_INDEX, IGNORE_INDEX, 2, IGNORE_INDEX, 3, IGNORE_INDEX]);
    expect(f.firstToken).toEqual([1, 2, 5, 7]);
  });

  it('truncated words have no token and get the fallback; batches pad labels with -100', () => {
    const f = encodeWords(tok, ['the', 'cat', 'sat', 'on', 'the', 'mat'], [1, 1, 1, 1, 1, 1], 5);
    expect(words(f.inputIds)).toBe('[CLS] the cat sat [SEP]');
    expect(f.firstToken).toEqual([1, 2, 3, -1, -1, -1]);
    const g = encodeWords(tok, ['dog'], [2]);
    const b = collateTokens([f, g], 0);
    expect(b.shape).toEqual([2, 5]);
    expect(Array.from(b.labels!.slice(5))).toEqual([IGNORE_INDEX, 2, IGNORE_INDEX, IGNORE_INDEX, IGNORE_INDEX]);
    expect(Array.from(b.attentionMask.slice(5))).toEqual([1, 1, 1, 0, 0]);
    const logits = { data: new Float32Array(5 * 3), shape: [5, 3] };
    logits.data[1 * 3 + 2] = 1; // token 1 → class 2
    expect(wordPredictions(f, logits, 7)).toEqual([2, 0, 0, 7, 7, 7]);
  });

  it('rejects a word with whitespace and a label count mismatch', () => {
    expect(() => encodeWords(tok, ['the cat'], [0])).toThrow(/words: expected words without whitespace/);
    expect(() => encodeWords(tok, ['the'], [0, 1])).toThrow(/labels: expected one label per word \(1\), got 2/);
  });
});

describe('sequence features', () => {
  it('pairs get type 1 on B, longest-first truncation, regression targets for STS-B', () => {
    const f = encodeSequence(tok, 'the cat sat on the mat', 'the dog ran', 1, 8);
    expect(words(f.inputIds)).toBe('[CLS] the cat sat [SEP] the dog [SEP]');
    expect(f.typeIds).toEqual([0, 0, 0, 0, 0, 1, 1, 1]);
    const sts = glueFeatures(tok, GLUE_TASKS.stsb, [{ id: '0', textA: 'the cat', textB: 'the dog', label: '3.2', target: 3.2 }]);
    const b = collateSequences(sts, 0, true);
    expect(b.targets![0]).toBeCloseTo(3.2, 6);
    expect(b.labels).toBeUndefined();
    const sst = glueFeatures(tok, GLUE_TASKS.sst2, [{ id: '0', textA: 'the cat', textB: 'ignored', label: '1', target: 1 }]);
    expect(words(sst[0].inputIds)).toBe('[CLS] the cat [SEP]');
  });

  it('SWAG: 4 × [CLS] sent1 [SEP] sent2 ending [SEP] → [B, 4, T]', () => {
    const ex = { index: '0', videoId: 'v', foldInd: '1', startphrase: 'x', sent1: 'the cat sat .', sent2: 'the dog', goldSource: 'gold', endings: ['ran .', 'sat .', 'on the mat .', 'un'] as [string, string, string, string], label: 2 };
    const [f] = swagFeatures(tok, [ex]);
    expect(f.rows.map((r) => words(r.inputIds))).toEqual([
      '[CLS] the cat sat . [SEP] the dog ran . [SEP]',
      '[CLS] the cat sat . [SEP] the dog sat . [SEP]',
      '[CLS] the cat sat . [SEP] the dog on the mat . [SEP]',
      '[CLS] the cat sat . [SEP] the dog un [SEP]',
    ]);
    const b = collateSwag([f], 0);
    expect(b.shape).toEqual([1, 4, 13]); // the longest choice: 13 tokens
    expect(Array.from(b.labels!)).toEqual([2]);
  });
});
