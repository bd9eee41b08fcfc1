// Statistical checks of instance creation and masking on a large real sample: the Brown corpus (500 documents,
// ~1.6 M word-piece tokens with the word-level test vocabulary below), one pass (dupeFactor 1), maxSeqLength 128.
import { Rng } from '@bertkit/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { readBrownDocuments } from './brown-reader.js';
import { resolveDataOptions, type DataOptions } from './data-config.js';
import { tokenizeDocuments, vocabInfo, type IdDocument, type VocabInfo } from './instances-vocab.js';
import { corpusVocab, tinyTokenizer } from './instances.test-helpers.js';
import { createInstances, createPairsFromDocument, type TrainingInstance } from './instances.js';

interface Stats {
  instances: number;
  eligible: number;
  chosen: number;
  capped: number;
  mask: number;
  random: number;
  keep: number;
  notNext: number;
  specialChosen: number;
}

/** Counts; `original` recovers the pre-masking id of each position (the labels hold it for chosen positions). */
function stats(insts: TrainingInstance[], vocab: VocabInfo, opts: DataOptions): Stats {
  const s: Stats = { instances: insts.length, eligible: 0, chosen: 0, capped: 0, mask: 0, random: 0, keep: 0, notNext: 0, specialChosen: 0 };
  for (const x of insts) {
    s.eligible += x.inputIds.length - 3; // all but [CLS] and two [SEP]
    s.chosen += x.maskedPositions.length;
    if (x.maskedPositions.length === opts.maxPredictionsPerSeq) s.capped++;
    s.notNext += x.nspLabel;
    x.maskedPositions.forEach((p, k) => {
      const label = x.maskedLabels[k];
      if (vocab.isSpecial[label]) s.specialChosen++;
      if (x.inputIds[p] === vocab.mask) s.mask++;
      else if (x.inputIds[p] === label) s.keep++; // includes the 1/|V| random draws that hit the label itself
      else s.random++;
    });
  }
  return s;
}

describe('pre-training data statistics on the Brown corpus', () => {
  let docs: IdDocument[];
  let vocab: VocabInfo;
  beforeAll(() => {
    const text = readBrownDocuments();
    const tok = tinyTokenizer(corpusVocab(text, 8001));
    docs = tokenizeDocuments(text, tok);
    vocab = vocabInfo(tok);
  });

  it('15 % ± 0.5 % of eligible tokens chosen, 80/10/10 ± 1 %, no special token chosen (default options)', () => {
    const opts = resolveDataOptions({ dupeFactor: 1 });
    const s = stats(createInstances(docs, opts, vocab, new Rng(1234)), vocab, opts);
    expect(s.eligible).toBeGreaterThan(1_000_000);
    expect(s.capped).toBe(0); // round(128 * 0.15) = 19 < 20: the cap never binds, so the rate is the real one
    expect(Math.abs(s.chosen / s.eligible - 0.15)).toBeLessThan(0.005);
    expect(Math.abs(s.mask / s.chosen - 0.8)).toBeLessThan(0.01);
    expect(Math.abs(s.random / s.chosen - 0.1)).toBeLessThan(0.01);
    expect(Math.abs(s.keep / s.chosen - 0.1)).toBeLessThan(0.01);
    expect(s.specialChosen).toBe(0);
  });

  it('NSP labels: 50 % ± 1 % NotNext where the coin is tossed; single-sentence chunks are always NotNext', () => {
    // The original pairs a chunk of one sentence (mostly in documents drawn with a short target length) with a
    // random segment without tossing the coin, so the overall NotNext share is 0.5 (1 - f) + f for a forced share f.
    const opts = resolveDataOptions({ dupeFactor: 2 });
    const rng = new Rng(1234);
    let tossed = 0;
    let tossedRandom = 0;
    let forced = 0;
    let all = 0;
    let random = 0;
    for (let d = 0; d < opts.dupeFactor; d++) {
      for (let i = 0; i < docs.length; i++) {
        for (const p of createPairsFromDocument(docs, i, opts, vocab, rng)) {
          all++;
          if (p.isRandomNext) random++;
          if (p.forcedRandomNext) {
            forced++;
            expect(p.isRandomNext).toBe(true);
          } else {
            tossed++;
            if (p.isRandomNext) tossedRandom++;
          }
        }
      }
    }
    expect(tossed).toBeGreaterThan(20_000);
    expect(Math.abs(tossedRandom / tossed - 0.5)).toBeLessThan(0.01);
    const f = forced / all;
    expect(f).toBeLessThan(0.1);
    expect(Math.abs(random / all - (0.5 * (1 - f) + f))).toBeLessThan(0.01);
  });

  it('NSP labels 50 % ± 1 % when every chunk has room for two sentences (shortSeqProb 0)', () => {
    const opts = resolveDataOptions({ dupeFactor: 1, shortSeqProb: 0 });
    const s = stats(createInstances(docs, opts, vocab, new Rng(99)), vocab, opts);
    expect(s.instances).toBeGreaterThan(10_000);
    expect(Math.abs(s.notNext / s.instances - 0.5)).toBeLessThan(0.01);
  });

  it('masking variants 80/0/20 and whole-word masking keep their proportions', () => {
    const opts = resolveDataOptions({ dupeFactor: 1, mask: 0.8, random: 0, keep: 0.2, wholeWordMask: true });
    const s = stats(createInstances(docs.slice(0, 250), opts, vocab, new Rng(5)), vocab, opts);
    expect(s.random).toBe(0);
    expect(Math.abs(s.mask / s.chosen - 0.8)).toBeLessThan(0.01);
    // A whole word that would overshoot num_to_predict is skipped, so the rate can only fall a little below 15 %.
    expect(s.chosen / s.eligible).toBeGreaterThan(0.14);
    expect(s.chosen / s.eligible).toBeLessThan(0.155);
    expect(s.specialChosen).toBe(0);
  });

  it('same seed → identical instances, different seed → different', () => {
    const opts = resolveDataOptions({ dupeFactor: 1 });
    const few = docs.slice(0, 40);
    const a = createInstances(few, opts, vocab, new Rng(7));
    expect(createInstances(few, opts, vocab, new Rng(7))).toEqual(a);
    const b = createInstances(few, opts, vocab, new Rng(8));
    expect(b).not.toEqual(a);
  });
});
