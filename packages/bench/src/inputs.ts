// Random inputs of a benchmark step, drawn from the run's seeded Rng: a pre-training batch (two segments, 15 % of
// positions predicted) and a sequence-classification batch. With a BERT-sized vocabulary, words avoid the
// special tokens' range (0..999) and [CLS] / [SEP] are 101 / 102, as in the uncased vocabulary.
import type { Rng } from '@bertkit/backend';
import type { TaskBatch } from '@bertkit/heads';
import { collateInstances, type PretrainingBatch, type TrainingInstance } from '@bertkit/pretraining';
import { predictionsPerRow } from './options.js';

/** The positions of [CLS] and the two [SEP]s in a row of T tokens. */
function isSpecial(i: number, seq: number): boolean {
  return i === 0 || i === seq >> 1 || i === seq - 1;
}

/** [CLS] w… [SEP] w… [SEP], T ids with random words from [1000, vocab) (or [0, vocab) for a tiny vocabulary). */
export function randomRow(rng: Rng, seq: number, vocab: number): Int32Array {
  const first = vocab > 2000 ? 1000 : 0;
  const ids = Int32Array.from({ length: seq }, () => first + rng.int(vocab - first));
  ids[0] = Math.min(101, vocab - 1); // [CLS]
  ids[seq >> 1] = ids[seq - 1] = Math.min(102, vocab - 1); // [SEP]
  return ids;
}

/** B rows of T tokens, round(0.15 T) predicted positions each (never [CLS] / [SEP]), random NSP labels. */
export function pretrainingBatch(rng: Rng, batch: number, seq: number, vocab: number): PretrainingBatch {
  const p = predictionsPerRow(seq);
  const rows: TrainingInstance[] = [];
  for (let b = 0; b < batch; b++) {
    const ids = randomRow(rng, seq, vocab);
    const candidates = Array.from({ length: seq }, (_, i) => i).filter((i) => !isSpecial(i, seq));
    const positions = rng.shuffle(candidates).slice(0, p).sort((x, y) => x - y);
    rows.push({
      inputIds: ids,
      segmentBStart: (seq >> 1) + 1,
      nspLabel: rng.int(2),
      maskedPositions: Int32Array.from(positions),
      maskedLabels: Int32Array.from(positions, (i) => ids[i]),
    });
  }
  return collateInstances(rows, seq, p);
}

/** B rows of T tokens with a label in [0, numLabels) each (sequence classification). */
export function classificationBatch(rng: Rng, batch: number, seq: number, vocab: number, numLabels: number): TaskBatch {
  const inputIds = new Int32Array(batch * seq);
  const typeIds = new Int32Array(batch * seq);
  for (let b = 0; b < batch; b++) {
    inputIds.set(randomRow(rng, seq, vocab), b * seq);
    typeIds.fill(1, b * seq + (seq >> 1) + 1, (b + 1) * seq);
  }
  return {
    shape: [batch, seq],
    inputIds,
    typeIds,
    attentionMask: new Int32Array(batch * seq).fill(1),
    labels: Int32Array.from({ length: batch }, () => rng.int(numLabels)),
  };
}
