// Batch executors: the functions the Batcher runs on the items of several requests at once. Rows are padded to
// the longest row of each sub-batch (dynamic padding) and the model runs inside tf.tidy; outputs are read back
// with `await tensor.data()` and the loop yields (setImmediate) between sub-batches so HTTP keeps being served.
import { embedBatch, fillMaskRows, padRows, type EmbedOptions, type EncodedRow, type MaskedRow, type MaskTopK } from '@bertkit/heads';
import * as tf from '@tensorflow/tfjs-core';
import type { Metrics } from './metrics.js';
import type { ServedModel } from './model-registry.js';

export interface Limits {
  maxBatchSize: number;
  maxBatchTokens: number;
}

const yieldToLoop = (): Promise<void> => new Promise((r) => setImmediate(r));

/**
 * Runs `fn` on sub-batches within the limits (items sorted by length so each sub-batch pads little) and returns
 * the outputs in the items' order.
 */
async function chunked<I, O>(items: I[], rowsOf: (i: I) => number, lenOf: (i: I) => number, limits: Limits, fn: (chunk: I[]) => Promise<O[]>): Promise<O[]> {
  const order = items.map((_, i) => i).sort((a, b) => lenOf(items[a]) - lenOf(items[b]));
  const out = new Array<O>(items.length);
  let at = 0;
  while (at < order.length) {
    let rows = rowsOf(items[order[at]]);
    let end = at + 1;
    while (end < order.length) {
      const r = rows + rowsOf(items[order[end]]);
      if (r > limits.maxBatchSize || r * lenOf(items[order[end]]) > limits.maxBatchTokens) break;
      rows = r;
      end++;
    }
    const idx = order.slice(at, end);
    const res = await fn(idx.map((i) => items[i]));
    idx.forEach((i, k) => (out[i] = res[k]));
    at = end;
    if (at < order.length) await yieldToLoop();
  }
  return out;
}

function tensors(rows: EncodedRow[][], padId: number, multipleChoice = false) {
  const b = padRows(rows, padId, multipleChoice);
  return {
    shape: b.shape,
    inputIds: tf.tensor(b.inputIds, b.shape, 'int32'),
    tokenTypeIds: tf.tensor(b.typeIds, b.shape, 'int32'),
    attentionMask: tf.tensor(b.attentionMask, b.shape, 'int32'),
  };
}

function timed<O>(metrics: Metrics, m: ServedModel, op: string, rows: EncodedRow[], fn: () => Promise<O>): Promise<O> {
  const t0 = process.hrtime.bigint();
  let tokens = 0;
  for (const r of rows) tokens += r.inputIds.length;
  metrics.inc('bert_tokens_total', { model: m.name }, tokens);
  return fn().finally(() => metrics.observe('bert_inference_seconds', { model: m.name, operation: op }, Number(process.hrtime.bigint() - t0) / 1e9));
}

/** Sentence vectors (@bertkit/heads embedBatch: cls / pooled / mean over the mask, any layer). */
export function embedExec(m: ServedModel, options: EmbedOptions, limits: Limits, metrics: Metrics) {
  return (items: EncodedRow[]): Promise<number[][]> =>
    chunked(items, () => 1, (r) => r.inputIds.length, limits, (chunk) =>
      timed(metrics, m, 'embeddings', chunk, async () => {
        const t = tensors(chunk.map((r) => [r]), m.tokenizer.padTokenId);
        try {
          return embedBatch(m.encoder, { inputIds: t.inputIds as tf.Tensor2D, tokenTypeIds: t.tokenTypeIds as tf.Tensor2D, attentionMask: t.attentionMask as tf.Tensor2D }, options);
        } finally {
          tf.dispose([t.inputIds, t.tokenTypeIds, t.attentionMask]);
        }
      }),
    );
}

/** Every token's last-layer vector (TEI /embed_all): per item [T_i·H], padding cut off. */
export function hiddenExec(m: ServedModel, limits: Limits, metrics: Metrics) {
  const H = m.config.hiddenSize;
  return (items: EncodedRow[]): Promise<Float32Array[]> =>
    chunked(items, () => 1, (r) => r.inputIds.length, limits, (chunk) =>
      timed(metrics, m, 'embed_all', chunk, async () => {
        const t = tensors(chunk.map((r) => [r]), m.tokenizer.padTokenId);
        const T = t.shape[1];
        const h = tf.tidy(() => m.encoder.forward({ inputIds: t.inputIds as tf.Tensor2D, tokenTypeIds: t.tokenTypeIds as tf.Tensor2D, attentionMask: t.attentionMask as tf.Tensor2D }).sequenceOutput); // [B, T, H]
        try {
          const data = (await h.data()) as Float32Array;
          return chunk.map((r, b) => data.slice(b * T * H, (b * T + r.inputIds.length) * H)); // [T_b, H]
        } finally {
          tf.dispose([h, t.inputIds, t.tokenTypeIds, t.attentionMask]);
        }
      }),
    );
}

export interface MaskItem extends MaskedRow {
  topK: number;
}

export type MaskTop = MaskTopK;

/** Top-k vocabulary entries at each [MASK] (@bertkit/heads fillMaskRows on the checkpoint's masked-LM head). */
export function fillMaskExec(m: ServedModel, limits: Limits, metrics: Metrics) {
  const model = { bert: m.encoder, mlm: m.mlm! };
  return (items: MaskItem[]): Promise<MaskTop[][]> =>
    chunked(items, () => 1, (r) => r.inputIds.length, limits, (chunk) =>
      timed(metrics, m, 'fill-mask', chunk, async () => {
        const k = Math.max(...chunk.map((r) => r.topK)); // one k per pass; each item keeps its own top_k
        const tops = await fillMaskRows(model, chunk, k, m.tokenizer.padTokenId);
        return tops.map((masks, i) => masks.map((t) => ({ ids: t.ids.slice(0, chunk[i].topK), probs: t.probs.slice(0, chunk[i].topK) })));
      }),
    );
}

/**
 * Logits of the checkpoint's task head (@bertkit/heads BertTaskModel): per item, sequence classification [K];
 * token classification [T_i·K] and question answering [T_i·2] (its own length, padding cut off); multiple
 * choice [C] (an item is its C rows).
 */
export function logitsExec(m: ServedModel, limits: Limits, metrics: Metrics) {
  const task = m.task!;
  const mc = task.kind === 'multiple-choice';
  return (items: EncodedRow[][]): Promise<Float32Array[]> =>
    chunked(items, (rows) => rows.length, (rows) => Math.max(...rows.map((r) => r.inputIds.length)), limits, (chunk) =>
      timed(metrics, m, task.kind, chunk.flat(), async () => {
        const t = tensors(chunk, m.tokenizer.padTokenId, mc);
        let logits: tf.Tensor | null = null;
        try {
          logits = task.forward({ inputIds: t.inputIds, tokenTypeIds: t.tokenTypeIds, attentionMask: t.attentionMask }); // [B, K] | [B, T, K] | [B, C]
          const data = (await logits.data()) as Float32Array;
          const shape = logits.shape;
          const per = data.length / chunk.length;
          return chunk.map((rows, b) => {
            const row = data.subarray(b * per, (b + 1) * per);
            if (task.kind === 'token-classification' || task.kind === 'question-answering') {
              const k = shape[2] as number;
              return row.slice(0, rows[0].inputIds.length * k); // [T_i, K]
            }
            return row.slice();
          });
        } finally {
          tf.dispose([t.inputIds, t.tokenTypeIds, t.attentionMask]);
          logits?.dispose();
        }
      }),
    );
}
