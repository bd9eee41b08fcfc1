import { sharedMissing, sharedPath } from '@bertkit/test-utils';
import { describe, expect, it } from 'vitest';
import { readConllFile } from '../node';
import { conllStats, entitiesOf, iob1ToIob2, iob2ToIob1 } from './iob';
import { ConllFormatError, parseConll } from './reader';

const sample = [
  '-DOCSTART- -X- O O', '', 'Acme NNP I-NP I-ORG', 'buys VBZ I-VP O', 'Dutch JJ I-NP I-MISC', '', 'Anna NNP I-NP I-PER',
  'Moss NNP I-NP I-PER', 'Paul NNP I-NP B-PER', '', '-DOCSTART- -X- -X- O', '', 'x NN I-NP O', '',
].join('\n');

describe('parseConll', () => {
  it('splits documents and sentences, skipping -DOCSTART- whatever its other fields', () => {
    const ds = parseConll(sample);
    expect(ds.documents).toBe(2);
    expect(ds.sentences.map((s) => [s.doc, s.words.join(' ')])).toEqual([[0, 'Acme buys Dutch'], [0, 'Anna Moss Paul'], [1, 'x']]);
    expect(ds.sentences[0].features[0]).toEqual(['NNP', 'I-NP']);
    expect(ds.sentences[1].tags).toEqual(['I-PER', 'I-PER', 'B-PER']);
  });
  it('counts entities with conlleval boundaries (IOB1: B- only splits adjacent same-type entities)', () => {
    expect(conllStats(parseConll(sample))).toEqual({ documents: 2, sentences: 3, tokens: 7, entities: { ORG: 1, MISC: 1, PER: 2 } });
    expect(entitiesOf(['I-PER', 'I-PER', 'B-PER', 'I-LOC', 'O', 'I-LOC'])).toEqual([
      { type: 'PER', start: 0, end: 2 }, { type: 'PER', start: 2, end: 3 }, { type: 'LOC', start: 3, end: 4 }, { type: 'LOC', start: 5, end: 6 },
    ]);
  });
  it('converts IOB1 ↔ IOB2', () => {
    const iob1 = ['I-PER', 'I-PER', 'B-PER', 'I-LOC', 'O', 'I-LOC', 'I-MISC'];
    const iob2 = ['B-PER', 'I-PER', 'B-PER', 'B-LOC', 'O', 'B-LOC', 'B-MISC'];
    expect(iob1ToIob2(iob1)).toEqual(iob2);
    expect(iob2ToIob1(iob2)).toEqual(iob1);
    expect(entitiesOf(iob1)).toEqual(entitiesOf(iob2));
  });
  it('rejects a line with the wrong number of fields, naming it', () => {
    expect(() => parseConll('a B C O\nb O\n')).toThrow(ConllFormatError);
    expect(() => parseConll('a B C O\nb O\n')).toThrow(/line 2: expected 4 fields/);
  });
});

// Counts from conll2003/PROVENANCE.md (= the CoNLL-2003 paper's Table 1 and the standard entity statistics).
const files: [string, string, number, number, number, Record<string, number>][] = [
  ['train.txt', 'original-iob1/eng.train', 946, 14041, 203621, { PER: 6600, LOC: 7140, ORG: 6321, MISC: 3438 }],
  ['valid.txt', 'original-iob1/eng.testa', 216, 3250, 51362, { PER: 1842, LOC: 1837, ORG: 1341, MISC: 922 }],
  ['test.txt', 'original-iob1/eng.testb', 231, 3453, 46435, { PER: 1617, LOC: 1668, ORG: 1661, MISC: 702 }],
];
const missing = sharedMissing('data/conll2003/train.txt');
describe.skipIf(missing)(`CoNLL-2003 files${missing ? ` (${missing})` : ''}`, () => {
  for (const [iob2, iob1, documents, sentences, tokens, entities] of files) {
    it(`${iob2} (IOB2) and ${iob1} (IOB1): ${documents} docs / ${sentences} sentences / ${tokens} tokens, same entities`, () => {
      const a = readConllFile(sharedPath(`data/conll2003/${iob2}`));
      const b = readConllFile(sharedPath(`data/conll2003/${iob1}`));
      for (const ds of [a, b]) {
        const st = conllStats(ds);
        expect(st.documents).toBe(documents);
        expect(st.sentences).toBe(sentences);
        expect(st.tokens).toBe(tokens);
        expect(st.entities).toEqual(entities);
      }
      const bTags = a.sentences.map((s) => s.tags.filter((t) => t.startsWith('B-')).length).reduce((x, y) => x + y, 0);
      expect(bTags).toBe(Object.values(entities).reduce((x, y) => x + y, 0));
      // The IOB2 files are the IOB1 originals converted: same words, NER and chunk tags after iob1ToIob2.
      b.sentences.forEach((s, i) => {
        expect(s.words).toEqual(a.sentences[i].words);
        expect(iob1ToIob2(s.tags)).toEqual(a.sentences[i].tags);
        expect(iob1ToIob2(s.features.map((f) => f[1]))).toEqual(a.sentences[i].features.map((f) => f[1]));
      });
    });
  }
});
