// Fill-mask with a pre-training model: the MLM head's distribution at each [MASK] of a text, top-k with
// probabilities (HF's fill-mask pipeline). Logits are computed only at the [MASK] positions.
// (A package-level API belongs in @bertkit/pretraining; until it exists the CLI keeps this small adapter.)
import { IGNORE_INDEX, type BertForPreTraining, type PretrainingBatch } from '@bertkit/pretraining';
import type { BertTokenizer } from '@bertkit/tokenizer';
import * as tf from '@tensorflow/tfjs-core';

export interface MaskCandidate {
  token: string;
  id: number;
  score: number;
}

export interface FillMaskResult {
  text: string;
  tokens: string[];
  /** One entry per [MASK], in order: its token position and the top-k candidates. */
  masks: { position: number; candidates: MaskCandidate[] }[];
}

export class FillMaskError extends Error {
  override name = 'FillMaskError';
}

export function fillMask(model: BertForPreTraining, tokenizer: BertTokenizer, text: string, topK = 5): FillMaskResult {
  const enc = tokenizer.encode(text);
  const n = enc.ids.length;
  if (n > model.config.maxPositionEmbeddings) {
    throw new FillMaskError(`text: expected at most ${model.config.maxPositionEmbeddings} tokens, got ${n}`);
  }
  const positions = enc.ids.flatMap((id, i) => (id === tokenizer.maskTokenId ? [i] : []));
  if (positions.length === 0) throw new FillMaskError(`text: expected at least one ${tokenizer.specialTokens.maskToken}, got none in ${JSON.stringify(text)}`);
  const P = positions.length;
  const batch: PretrainingBatch = {
    batchSize: 1,
    seqLength: n,
    maxPredictions: P,
    inputIds: Int32Array.from(enc.ids),
    tokenTypeIds: Int32Array.from(enc.typeIds),
    attentionMask: new Int32Array(n).fill(1),
    maskedPositions: Int32Array.from(positions),
    maskedIds: new Int32Array(P),
    maskedWeights: new Float32Array(P).fill(1),
    mlmLabels: new Int32Array(n).fill(IGNORE_INDEX),
    nspLabels: Int32Array.from([IGNORE_INDEX]),
  };
  const k = Math.min(topK, model.config.vocabSize);
  const { values, indices } = tf.tidy(() => {
    const out = model.forward(batch); // mlmLogits [P, V]
    const probs = tf.softmax(out.mlmLogits); // [P, V]
    const top = tf.topk(probs, k); // [P, k]
    return { values: top.values, indices: top.indices };
  });
  const v = values.dataSync(), ix = indices.dataSync();
  tf.dispose([values, indices]);
  return {
    text,
    tokens: enc.tokens,
    masks: positions.map((position, m) => ({
      position,
      candidates: Array.from({ length: k }, (_, j) => {
        const id = ix[m * k + j];
        return { id, token: tokenizer.idToToken(id) ?? `[${id}]`, score: v[m * k + j] };
      }),
    })),
  };
}

/** `the [MASK] sat` → lines with the top candidates of each mask (probabilities as percentages). */
export function formatFillMask(r: FillMaskResult): string {
  const lines = [r.text];
  r.masks.forEach((m, i) => {
    const c = m.candidates.map((x) => `${x.token} ${(100 * x.score).toFixed(x.score < 0.001 ? 3 : 1)}%`).join('  ');
    lines.push(`  ${r.masks.length > 1 ? `mask ${i + 1}: ` : ''}${c}`);
  });
  return lines.join('\n') + '\n';
}
