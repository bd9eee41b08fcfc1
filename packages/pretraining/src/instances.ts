// Sentence-pair instances with the semantics of google-research/bert `create_pretraining_data.py` (paper §3.1
// "Task #2: Next Sentence Prediction", appendix A.2): `create_instances_from_document` packs whole sentences of a
// document into chunks of about `target_seq_length` tokens (the full `maxSeqLength - 3`, or with probability
// `shortSeqProb` a length drawn from [2, maxSeqLength - 3], once per document as in the original), splits each
// chunk at a random sentence boundary into A and B, and with probability 0.5 — always when the chunk holds one
// sentence — replaces B by text from a random other document (NotNext, label 1), putting the unused sentences of
// the chunk back. `truncate_seq_pair` then trims the longer segment from a random end until both fit.
import type { Rng } from '@bertkit/backend';
import type { DataOptions, InstanceOptions } from './data-config.js';
import type { IdDocument, VocabInfo } from './instances-vocab.js';
import { createMaskedLmPredictions } from './masking.js';

/** A pre-training instance before batching. */
export interface TrainingInstance {
  /** [CLS] A [SEP] B [SEP] after masking, [n], n <= maxSeqLength. */
  inputIds: Int32Array;
  /** First position of segment B (token type 1 from here to n); n for a single segment. */
  segmentBStart: number;
  /** NSP label: 0 IsNext, 1 NotNext (random B), -1 none (LTR). */
  nspLabel: number;
  /** Positions to predict, increasing, [p]. */
  maskedPositions: Int32Array;
  /** Target ids at those positions, [p]. */
  maskedLabels: Int32Array;
}

/** An unmasked sentence pair. */
export interface SentencePair {
  tokens: Int32Array;
  segmentBStart: number;
  isRandomNext: boolean;
  /** The chunk held one sentence, so B had to be random (no coin was tossed). */
  forcedRandomNext: boolean;
}

/** Trims the longer of `a`, `b` (B when equal) by one token from a random end until |a| + |b| <= maxNumTokens. */
export function truncateSeqPair(a: number[], b: number[], maxNumTokens: number, rng: Rng): void {
  while (a.length + b.length > maxNumTokens) {
    const t = a.length > b.length ? a : b;
    if (rng.random() < 0.5) t.shift();
    else t.pop();
  }
}

/** `create_instances_from_document` without the masking step: the sentence pairs of `docs[docIndex]`. */
export function createPairsFromDocument(docs: readonly IdDocument[], docIndex: number, opts: InstanceOptions, vocab: VocabInfo, rng: Rng): SentencePair[] {
  const document = docs[docIndex];
  const maxNumTokens = opts.maxSeqLength - 3;
  let targetSeqLength = maxNumTokens;
  if (rng.random() < opts.shortSeqProb) targetSeqLength = rng.randint(2, maxNumTokens);
  const pairs: SentencePair[] = [];
  let chunk: number[][] = [];
  let chunkLength = 0;
  let i = 0;
  while (i < document.length) {
    chunk.push(document[i]);
    chunkLength += document[i].length;
    if (i === document.length - 1 || chunkLength >= targetSeqLength) {
      const aEnd = chunk.length >= 2 ? rng.randint(1, chunk.length - 1) : 1;
      const a = chunk.slice(0, aEnd).flat();
      let b: number[] = [];
      let isRandomNext = false;
      const forcedRandomNext = chunk.length === 1;
      if (forcedRandomNext || rng.random() < 0.5) {
        isRandomNext = true;
        const targetB = targetSeqLength - a.length;
        // Ten tries at a document other than this one (the original's loop; with one document it gives up).
        let r = 0;
        for (let t = 0; t < 10; t++) {
          r = rng.randint(0, docs.length - 1);
          if (r !== docIndex) break;
        }
        const other = docs[r];
        for (let j = rng.randint(0, other.length - 1); j < other.length; j++) {
          b.push(...other[j]);
          if (b.length >= targetB) break;
        }
        i -= chunk.length - aEnd; // put the unused sentences back
      } else {
        b = chunk.slice(aEnd).flat();
      }
      truncateSeqPair(a, b, maxNumTokens, rng);
      const tokens = new Int32Array(a.length + b.length + 3);
      tokens[0] = vocab.cls;
      tokens.set(a, 1);
      tokens[a.length + 1] = vocab.sep;
      tokens.set(b, a.length + 2);
      tokens[tokens.length - 1] = vocab.sep;
      pairs.push({ tokens, segmentBStart: a.length + 2, isRandomNext, forcedRandomNext });
      chunk = [];
      chunkLength = 0;
    }
    i++;
  }
  return pairs;
}

/** `create_instances_from_document`: the masked sentence-pair instances of `docs[docIndex]`. */
export function createInstancesFromDocument(docs: readonly IdDocument[], docIndex: number, opts: DataOptions, vocab: VocabInfo, rng: Rng): TrainingInstance[] {
  return createPairsFromDocument(docs, docIndex, opts, vocab, rng).map((p) => {
    const m = createMaskedLmPredictions(p.tokens, opts, vocab, rng);
    return { inputIds: m.inputIds, segmentBStart: p.segmentBStart, nspLabel: p.isRandomNext ? 1 : 0, maskedPositions: m.positions, maskedLabels: m.labels };
  });
}

/**
 * `create_training_instances`: shuffles the documents, makes `dupeFactor` passes over them and shuffles the
 * instances. `docs` must be validated options' output of `tokenizeDocuments` (no empty documents or sentences).
 */
export function createInstances(docs: readonly IdDocument[], opts: DataOptions, vocab: VocabInfo, rng: Rng): TrainingInstance[] {
  const shuffled = rng.shuffle([...docs]);
  const out: TrainingInstance[] = [];
  for (let d = 0; d < opts.dupeFactor; d++) {
    for (let i = 0; i < shuffled.length; i++) out.push(...createInstancesFromDocument(shuffled, i, opts, vocab, rng));
  }
  return rng.shuffle(out);
}
