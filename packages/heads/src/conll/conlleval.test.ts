import { readFileSync } from 'node:fs';
import { sharedMissing, sharedPath } from '@bertkit/test-utils';
import { describe, expect, it } from 'vitest';
import { conllevalFile, readConllFile } from '../node';
import { iob2ToIob1 } from './iob';
import { formatConllevalInput } from './predictions-file';
import { parseConll } from './reader';
import { ConllevalError, conllevalJson, conllevalSentences, conllevalText, formatConllevalReport } from './conlleval';

const ref = 'data/conll2003/conlleval-reference/';
const missing = sharedMissing(ref);
describe.skipIf(missing)(`conlleval reference outputs${missing ? ` (${missing})` : ''}`, () => {
  for (const name of ['conll_gold_vs_iob1', 'conll_gold_vs_allI']) {
    it(`${name}: the report conlleval printed, byte for byte`, () => {
      const r = conllevalFile(sharedPath(`${ref}${name}.txt`));
      expect(formatConllevalReport(r)).toBe(readFileSync(sharedPath(`${ref}${name}.conlleval-output.txt`), 'utf8'));
    });
  }
  it('conll_gold_vs_allI: counts and JSON form', () => {
    const j = conllevalJson(conllevalFile(sharedPath(`${ref}conll_gold_vs_allI.txt`)));
    expect(j).toMatchObject({ tokens: 46666, phrases: 5648, found: 5628, correct: 5610 });
    expect(j.precision).toBeCloseTo((100 * 5610) / 5628, 12);
    expect(j.recall).toBeCloseTo((100 * 5610) / 5648, 12);
    expect(Object.keys(j.types as object)).toEqual(['LOC', 'MISC', 'ORG', 'PER']);
  });
});

// Expected reports: what conlleval's perl logic prints for the same input (run with perl 5 while writing the test).
describe('conlleval on hand-built inputs', () => {
  it('IOB1 semantics, type mismatches, -DOCSTART- tokens, sentence boundaries and IOE tags', () => {
    const text = 'w1 x I-PER I-PER\nw2 x I-PER I-PER\nw3 x B-PER I-PER\nw4 x O I-LOC\nw5 x I-LOC I-ORG\n\nw6 x I-MISC B-MISC\nw7 x O O\n' +
      '-DOCSTART- -X- O O\n\nw8 x I-PER I-PER\n\nw9 x I-PER I-PER\nw10 x I-PER E-PER\n';
    expect(formatConllevalReport(conllevalText(text))).toBe(
      'processed 11 tokens with 6 phrases; found: 6 phrases; correct: 3.\n' +
        'accuracy:  54.55%; precision:  50.00%; recall:  50.00%; FB1:  50.00\n' +
        '              LOC: precision:   0.00%; recall:   0.00%; FB1:   0.00  1\n' +
        '             MISC: precision: 100.00%; recall: 100.00%; FB1: 100.00  1\n' +
        '              ORG: precision:   0.00%; recall:   0.00%; FB1:   0.00  1\n' +
        '              PER: precision:  66.67%; recall:  50.00%; FB1:  57.14  3\n',
    );
  });
  it('all-negative sentences: accuracy only, P/R/F1 0, no type lines', () => {
    expect(formatConllevalReport(conllevalText('a x O O\nb x O O\n\nc x O O\n'))).toBe(
      'processed 3 tokens with 0 phrases; found: 0 phrases; correct: 0.\naccuracy: 100.00%; precision:   0.00%; recall:   0.00%; FB1:   0.00\n',
    );
    expect(formatConllevalReport(conllevalText(''))).toBe('processed 0 tokens with 0 phrases; found: 0 phrases; correct: 0.\n');
  });
  it('two-field lines, untyped tags and type "0" (perl-false), with the duplicated empty-type line', () => {
    const line = '                 : precision:  66.67%; recall:  66.67%; FB1:  66.67  3\n';
    expect(formatConllevalReport(conllevalText('B B\nI I\nO B\nB O\n\nB-0 B-0\n'))).toBe(
      'processed 5 tokens with 3 phrases; found: 3 phrases; correct: 2.\naccuracy:  60.00%; precision:  66.67%; recall:  66.67%; FB1:  66.67\n' + line + line,
    );
  });
  it('-r (raw tags) mode', () => {
    expect(formatConllevalReport(conllevalText('a PER PER\nb O LOC\nc PER PER\n', { raw: true }))).toBe(
      'processed 3 tokens with 2 phrases; found: 3 phrases; correct: 2.\naccuracy:  66.67%; precision:  66.67%; recall: 100.00%; FB1:  80.00\n' +
        '              LOC: precision:   0.00%; recall:   0.00%; FB1:   0.00  1\n              PER: precision: 100.00%; recall: 100.00%; FB1: 100.00  2\n',
    );
  });
  it('rejects a line with a different number of fields, as conlleval does', () => {
    expect(() => conllevalText('a x O O\nb O\n')).toThrow(ConllevalError);
    expect(() => conllevalText('a x O O\nb O\n')).toThrow(/line 2: unexpected number of features: 2 \(4\)/);
  });
  it('formatConllevalInput writes word, features, gold, guess with document lines', () => {
    const ds = parseConll('-DOCSTART- -X- O O\n\nAcme NNP I-NP I-ORG\nbuys VBZ I-VP O\n\n');
    expect(formatConllevalInput(ds, [['I-ORG', 'I-MISC']])).toBe('-DOCSTART- -X- -X- O O\n\nAcme NNP I-NP I-ORG I-ORG\nbuys VBZ I-VP O I-MISC\n\n');
    expect(formatConllevalInput(ds, [['O', 'O']], { docstart: false })).toBe('Acme NNP I-NP I-ORG O\nbuys VBZ I-VP O O\n\n');
    expect(() => formatConllevalInput(ds, [['O']])).toThrow(/predicted\[0\]: expected 2 tags, got 1/);
  });
  it('conllevalSentences equals the file form with blank lines between sentences', () => {
    const gold = [['B-PER', 'I-PER', 'O'], ['B-LOC']];
    const pred = [['B-PER', 'O', 'O'], ['B-LOC']];
    const viaText = conllevalText('a x B-PER B-PER\nb x I-PER O\nc x O O\n\nd x B-LOC B-LOC\n\n');
    expect(conllevalSentences(gold, pred)).toEqual(viaText);
    expect(viaText).toMatchObject({ tokens: 4, goldChunks: 2, foundChunks: 2, correctChunks: 1, correctTags: 3 });
    expect(() => conllevalSentences(gold, [pred[0]])).toThrow(/guessed: expected 2 sentences, got 1/);
  });
});

describe.skipIf(missing)(`conlleval input writer${missing ? ` (${missing})` : ''}`, () => {
  it('rebuilds conll_gold_vs_iob1.txt byte for byte from test.txt and iob2ToIob1', () => {
    const ds = readConllFile(sharedPath('data/conll2003/test.txt'));
    const text = formatConllevalInput(ds, ds.sentences.map((s) => iob2ToIob1(s.tags)));
    expect(text).toBe(readFileSync(sharedPath(`${ref}conll_gold_vs_iob1.txt`), 'utf8'));
  });
});
