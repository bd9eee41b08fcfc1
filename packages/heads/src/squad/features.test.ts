// SQuAD features: exact windows/offsets on an inline vocabulary, and on the real dev sets every gold answer lies
// in some window and is recovered through the offsets (all but answers that end inside a WordPiece).
import { sharedMissing, sharedPath } from '@bertkit/test-utils';
import { BertTokenizer } from '@bertkit/tokenizer';
import { loadTokenizer } from '@bertkit/tokenizer/node';
import { describe, expect, it } from 'vitest';
import { readSquadFile } from '../node';
import { evaluateSquadOfficial } from './evaluate';
import { collateSquad, spanInWindow, squadFeatures, squadWindows, truncateQuestion, type SquadFeature } from './features';
import { postprocessQaAll } from './postprocess';
import type { SquadExample } from './reader';

const VOCAB = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'who', 'won', '?', 'the', 'cat', 'sat', 'on', 'mat', 'dog', 'ran', '.', '##s', 'a'];
const tok = BertTokenizer.fromTokens(VOCAB);

function example(context: string, question: string, answer: string | null): SquadExample {
  const start = answer === null ? -1 : context.indexOf(answer);
  return {
    id: 'q', title: 't', context, question, isImpossible: answer === null, plausibleAnswers: [],
    answers: answer === null ? [] : [{ text: answer, start, end: start + answer.length, answerStart: start }],
  };
}

/** Per feature, the gold span's text from offsets ('' for [CLS]). */
const goldText = (ex: SquadExample, f: SquadFeature) =>
  f.startPosition === 0 ? '' : ex.context.slice(f.offsets[f.startPosition]![0], f.offsets[f.endPosition]![1]);

describe('squadFeatures (inline vocabulary)', () => {
  it('windows with stride: ids, offsets, gold span per window, [CLS] where the answer is not inside', () => {
    const ex = example('the cat sat on the mat . the dog ran .', 'who won ?', 'dog');
    // maxSeqLength 12: [CLS] who won ? [SEP] + 6 context tokens + [SEP]; stride 2 tokens shared.
    const fs = squadFeatures(tok, [ex], { maxSeqLength: 12, docStride: 2, maxQueryLength: 5 });
    expect(fs.map((f) => f.inputIds.map((i) => VOCAB[i]).join(' '))).toEqual([
      '[CLS] who won ? [SEP] the cat sat on the mat [SEP]',
      '[CLS] who won ? [SEP] the mat . the dog ran [SEP]',
      '[CLS] who won ? [SEP] dog ran . [SEP]',
    ]);
    expect(fs.map((f) => [f.startPosition, f.endPosition])).toEqual([[0, 0], [9, 9], [5, 5]]);
    expect(fs.map((f) => goldText(ex, f))).toEqual(['', 'dog', 'dog']);
    expect(fs[1].offsets.slice(4, 7)).toEqual([null, [15, 18], [19, 22]]);
    expect(fs[1].typeIds).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1]);
    // "dog" (char 31): 3 tokens of left context and 1 of right in window 1, 0 left in window 2 → window 1.
    expect(fs[1].maxContext[9]).toBe(true);
    expect(fs[2].maxContext[5]).toBe(false);
  });

  it('a sub-word answer spans its pieces; impossible questions point at [CLS]; questions are cut by tokens', () => {
    const ex = example('the cats ran .', 'who won ?', 'cats');
    const [f] = squadFeatures(tok, [ex]);
    expect([f.startPosition, f.endPosition]).toEqual([6, 7]);
    expect(goldText(ex, f)).toBe('cats');
    const [g] = squadFeatures(tok, [example('the cat sat .', 'who won ?', null)]);
    expect([g.startPosition, g.endPosition]).toEqual([0, 0]);
    expect(truncateQuestion(tok, 'who won the cat ?', 2)).toBe('who won');
    const b = collateSquad([f, g], 0);
    expect(b.shape).toEqual([2, 11]); // [CLS] who won ? [SEP] the cat ##s ran . [SEP]
    expect(Array.from(b.startPositions!)).toEqual([6, 0]);
  });

  it('spanInWindow returns null when the answer is cut by the window', () => {
    const enc = tok.encode('who', 'the cat sat on the mat', { maxLength: 6, truncation: 'only_second', stride: 1, returnOverflowing: true });
    expect(spanInWindow(enc, 4, 11)).toBeNull(); // "cat sat": only "cat" is in the first window (the cat)
    expect(spanInWindow(enc.overflowing[0], 4, 11)).toEqual([3, 4]);
  });
});

for (const [file, minExact] of [['dev-v1.1.json', 0.997], ['dev-v2.0.json', 0.998]] as const) {
  const skip = sharedMissing(`data/squad/${file}`) ?? sharedMissing('models/bert-base-uncased-tokenizer/vocab.txt');
  describe.skipIf(skip !== null)(`squadFeatures on ${file} ${skip ?? ''}`, () => {
    it('every gold answer lies in a window; gold spans recover the answer text through offsets; perfect logits score ~100', async () => {
      const tokenizer = await loadTokenizer(sharedPath('models/bert-base-uncased-tokenizer'));
      const ds = readSquadFile(sharedPath(`data/squad/${file}`));
      const fs = squadFeatures(tokenizer, ds.examples);
      expect(fs.every((f) => f.inputIds.length <= 384)).toBe(true);
      let answers = 0;
      let inWindow = 0;
      let windows = 0;
      let exact = 0;
      for (const ex of ds.examples) {
        const q = truncateQuestion(tokenizer, ex.question, 64);
        const enc = tokenizer.encode(q, ex.context, { maxLength: 384, truncation: 'only_second', stride: 128, returnOverflowing: true });
        for (const a of ex.answers) {
          answers++;
          let found = false;
          for (const w of [enc, ...enc.overflowing]) {
            const s = spanInWindow(w, a.start, a.end);
            if (!s) continue;
            found = true;
            windows++;
            if (ex.context.slice(w.offsets[s[0]][0], w.offsets[s[1]][1]) === a.text) exact++;
          }
          if (found) inWindow++;
        }
      }
      console.log(`${file}: ${ds.examples.length} questions → ${fs.length} features; ${answers} gold answers, ${inWindow} in a window; ${exact}/${windows} (answer, window) pairs recovered exactly (${((100 * exact) / windows).toFixed(2)} %)`);
      expect(inWindow).toBe(answers);
      expect(exact / windows).toBeGreaterThan(minExact);
      // Logits that put all their mass on the features' gold span, through the official post-processing + script.
      const logits = fs.map((f) => {
        const data = new Float32Array(f.inputIds.length * 2);
        data[f.startPosition * 2] = 10;
        data[f.endPosition * 2 + 1] = 10;
        return { data, shape: [f.inputIds.length, 2] };
      });
      const v2 = ds.version !== '1.1';
      const files = postprocessQaAll(squadWindows(ds.examples, fs, logits), { version2WithNegative: v2 });
      const r = evaluateSquadOfficial(ds, files.predictions, v2 ? { naProbs: new Map(Object.entries(files.nullOdds)) } : {});
      console.log(`${file}: gold-span logits → ${r.text}`);
      const em = (r.scores as { exact_match?: number; exact?: number }).exact_match ?? (r.scores as { exact: number }).exact;
      expect(em).toBeGreaterThan(99);
    });
  });
}
