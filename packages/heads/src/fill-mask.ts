// Fill-mask (HF `pipeline('fill-mask')`): the masked-LM head (@bertkit/encoder's MlmHead, `cls.predictions.*` of a
// BertForPreTraining / BertForMaskedLM checkpoint) scores the vocabulary at every [MASK]; the top-k tokens with
// softmax probabilities, named as HF's pipeline names them (`score`, `token` = id, `token_str`, `sequence`).
// The one fill-mask of bertkit: the CLI, the server's batcher and the web demo call these functions.
import { maskedTopK, type BertModel, type MlmHead } from '@bertkit/encoder';
import type { BertTokenizer } from '@bertkit/tokenizer';
import * as tf from '@tensorflow/tfjs-core';
import { padRows, type EncodedRow } from './common/batch';
import { TaskInputError } from './common/errors';
import { isExternalForward, requireOutput, type ExternalForward } from './common/external-forward';
import { topKSoftmax } from './common/top-k-softmax';

/** An encoder with its masked-LM head: a loaded checkpoint, or @bertkit/pretraining's BertForPreTraining. */
export interface MaskedLm {
  bert: BertModel;
  mlm: MlmHead;
}

export interface FillMaskCandidate {
  /** Softmax probability over the vocabulary at this position. */
  score: number;
  /** The token id (HF's `token`). */
  token: number;
  /** The token's text in the vocabulary (HF's `token_str`). */
  token_str: string;
  /** The input text with this [MASK] replaced by the token (HF `sequence`). */
  sequence: string;
}

export interface MaskFill {
  /** Token index of the [MASK] in the encoded input. */
  position: number;
  candidates: FillMaskCandidate[];
}

/** One encoded row and the token indices of its [MASK]s. */
export interface MaskedRow extends EncodedRow {
  masks: number[];
}

/** The top-k ids and probabilities at each [MASK] of one row. */
export interface MaskTopK {
  ids: number[];
  probs: number[];
}

/**
 * Top-k vocabulary entries at every [MASK] of a batch of encoded rows (padded to the longest; dropout off). One
 * forward pass; the result is read with one awaited read. `model`: the tfjs encoder + MLM head (top-k on the
 * backend), or an external engine (ONNX Runtime) whose `logits` [B, T, V] are ranked here (topKSoftmax).
 */
export async function fillMaskRows(model: MaskedLm | ExternalForward, rows: readonly MaskedRow[], topK: number, padId: number, targets?: readonly number[]): Promise<MaskTopK[][]> {
  const b = padRows(rows.map((r) => [r]), padId);
  const t = b.shape[1];
  if (isExternalForward(model)) {
    requireOutput(model, 'logits', 'a masked-LM head (BertForPreTraining / BertForMaskedLM)');
    const { logits } = await model.run(b, b.shape, ['logits']); // [B, T, V]
    const v = logits.dims[2];
    return rows.map((r, i) => r.masks.map((p) => topKSoftmax(logits.data.subarray((i * t + p) * v, (i * t + p + 1) * v), topK, targets)));
  }
  const flat = rows.flatMap((r, i) => r.masks.map((p) => i * t + p));
  const top = tf.tidy(() => {
    const inputs = {
      inputIds: tf.tensor2d(b.inputIds, [rows.length, t], 'int32'),
      tokenTypeIds: tf.tensor2d(b.typeIds, [rows.length, t], 'int32'),
      attentionMask: tf.tensor2d(b.attentionMask, [rows.length, t], 'int32'),
    };
    return maskedTopK(model.bert, model.mlm, inputs, flat, topK, { targets }) as unknown as tf.TensorContainer;
  }) as unknown as { values: tf.Tensor2D; indices: tf.Tensor2D };
  try {
    const k = top.values.shape[1];
    const [p, ids] = await Promise.all([top.values.data(), top.indices.data()]);
    let n = 0;
    return rows.map((r) =>
      r.masks.map(() => {
        const at = n++ * k;
        return { ids: Array.from(ids.subarray(at, at + k)), probs: Array.from(p.subarray(at, at + k)) };
      }),
    );
  } finally {
    tf.dispose([top.values, top.indices]);
  }
}

/** Encodes `text` (or a sentence pair; truncated to `maxLength`) and finds its [MASK] tokens. */
export function encodeMasked(tokenizer: BertTokenizer, text: string | readonly [string, string], maxLength: number): MaskedRow {
  const enc = typeof text === 'string' ? tokenizer.encode(text, null, { maxLength, truncation: true }) : tokenizer.encode(text[0], text[1], { maxLength, truncation: 'longest_first' });
  const mask = tokenizer.maskTokenId;
  const masks = enc.ids.flatMap((id, i) => (id === mask ? [i] : []));
  if (masks.length === 0) throw new TaskInputError('text', `at least one ${tokenizer.idToToken(mask)} token`, JSON.stringify(text));
  return { inputIds: enc.ids, typeIds: enc.typeIds, masks };
}

/**
 * HF's candidates of one row (FillMaskPipeline.postprocess): each top-k id, `token_str` = decode([id]), and the
 * row's text with this [MASK] replaced (padding dropped; special tokens skipped only when the row has one mask:
 * with several, HF keeps [CLS], [SEP] and the other [MASK]s so that the sequence shows where they are).
 */
export function maskCandidates(tokenizer: BertTokenizer, row: MaskedRow, tops: readonly MaskTopK[]): MaskFill[] {
  const single = row.masks.length === 1;
  const pad = tokenizer.padTokenId;
  return row.masks.map((position, m) => ({
    position,
    candidates: tops[m].ids.map((id, j): FillMaskCandidate => {
      const ids = row.inputIds.slice();
      ids[position] = id;
      const sequence = tokenizer.decode(ids.filter((x) => x !== pad), { skipSpecialTokens: single });
      return { score: tops[m].probs[j], token: id, token_str: tokenizer.decode([id]), sequence };
    }),
  }));
}

/**
 * HF `get_target_ids`: each target's vocabulary id, else the first token it encodes to (a target that encodes to
 * nothing is dropped); duplicates removed. None left: a TaskInputError.
 */
export function targetIds(tokenizer: BertTokenizer, targets: string | readonly string[]): number[] {
  const ids: number[] = [];
  for (const t of typeof targets === 'string' ? [targets] : targets) {
    const id = tokenizer.tokenToId(t) ?? tokenizer.encode(t, null, { addSpecialTokens: false }).ids[0];
    if (id !== undefined && !ids.includes(id)) ids.push(id);
  }
  if (ids.length === 0) throw new TaskInputError('targets', 'at least one target that the tokenizer can encode', JSON.stringify(targets));
  return ids;
}

export interface FillMaskOptions {
  /** Candidates per mask (HF `top_k`, default 5; at most the number of targets). */
  topK?: number;
  maxLength?: number;
  /** Rank only these tokens (HF `targets`; see `targetIds`). */
  targets?: string | readonly string[];
}

/** Top-k tokens for each [MASK] of `text` or of a sentence pair (no mask: a TaskInputError naming the mask token). */
export async function fillMask(model: MaskedLm | ExternalForward, tokenizer: BertTokenizer, text: string | readonly [string, string], options: FillMaskOptions = {}): Promise<MaskFill[]> {
  const config = isExternalForward(model) ? model.config : model.bert.config;
  const row = encodeMasked(tokenizer, text, options.maxLength ?? config.maxPositionEmbeddings);
  const targets = options.targets === undefined ? undefined : targetIds(tokenizer, options.targets);
  const [tops] = await fillMaskRows(model, [row], options.topK ?? 5, tokenizer.padTokenId, targets);
  return maskCandidates(tokenizer, row, tops);
}
