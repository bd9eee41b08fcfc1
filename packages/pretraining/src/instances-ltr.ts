// Left-to-right LM instances for the paper's "LTR & No NSP" ablation (Table 5; the OpenAI GPT objective).
// A document's tokens are read as one stream and cut into pieces of the target length (`maxSeqLength - 2`, or
// with probability `shortSeqProb` per document a length in [2, maxSeqLength - 2]); each piece becomes
// `[CLS] t1 … tk [SEP]`, one segment (token type 0 everywhere), no NSP label.
// Targets: at every position i whose NEXT token is a word-piece (not [SEP]), the label is that next token — the
// model (with a causal attention mask, so position i sees only positions <= i) predicts token i+1 from its left
// context: [CLS] predicts t1, t1 predicts t2, …, t(k-1) predicts tk; tk (followed by [SEP]) predicts nothing.
// The loss is the mean cross-entropy over these k positions. No input token is replaced.
import type { Rng } from '@bertkit/backend';
import type { InstanceOptions } from './data-config.js';
import type { IdDocument, VocabInfo } from './instances-vocab.js';
import type { TrainingInstance } from './instances.js';

/** The LTR instances of one document. */
export function createLtrInstancesFromDocument(doc: IdDocument, opts: InstanceOptions, vocab: VocabInfo, rng: Rng): TrainingInstance[] {
  const maxNumTokens = opts.maxSeqLength - 2;
  let target = maxNumTokens;
  if (rng.random() < opts.shortSeqProb) target = rng.randint(2, maxNumTokens);
  const stream = doc.flat();
  const out: TrainingInstance[] = [];
  for (let s = 0; s < stream.length; s += target) {
    const piece = stream.slice(s, s + target);
    const k = piece.length;
    const inputIds = new Int32Array(k + 2);
    inputIds[0] = vocab.cls;
    inputIds.set(piece, 1);
    inputIds[k + 1] = vocab.sep;
    const maskedPositions = Int32Array.from({ length: k }, (_, i) => i);
    const maskedLabels = Int32Array.from(piece);
    out.push({ inputIds, segmentBStart: k + 2, nspLabel: -1, maskedPositions, maskedLabels });
  }
  return out;
}

/** LTR counterpart of `createInstances`: shuffled documents, `dupeFactor` passes, shuffled instances. */
export function createLtrInstances(docs: readonly IdDocument[], opts: InstanceOptions, vocab: VocabInfo, rng: Rng): TrainingInstance[] {
  const shuffled = rng.shuffle([...docs]);
  const out: TrainingInstance[] = [];
  for (let d = 0; d < opts.dupeFactor; d++) for (const doc of shuffled) out.push(...createLtrInstancesFromDocument(doc, opts, vocab, rng));
  return rng.shuffle(out);
}
