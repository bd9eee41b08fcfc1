// Batch executors: the functions the Batcher runs on the items of several requests at once. Rows are padded to
// the longest row of each sub-batch (dynamic padding); the forward pass runs on tfjs or, with engine 'ort', on
// the model's ONNX Runtime session (@bertkit/heads takes either); outputs are read back awaited and the loop
// yields (setImmediate) between sub-batches so HTTP keeps being served.
import { batchLogits, embedPadded, fillMaskRows, hiddenStates, padRows, type EmbedOptions, type EncodedRow, type MaskedRow, type MaskTopK } from '@bertkit/heads';
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


function timed<O>(metrics: Metrics, m: ServedModel, op: string, rows: EncodedRow[], fn: () => Promise<O>): Promise<O> {
  const t0 = process.hrtime.bigint();
  let tokens = 0;
  for (const r of rows) tokens += r.inputIds.length;
  metrics.inc('bert_tokens_total', { model: m.name }, tokens);
  return fn().finally(() => metrics.observe('bert_inference_seconds', { model: m.name, operation: op }, Number(process.hrtime.bigint() - t0) / 1e9));
}

/**
 * Sentence vectors (@bertkit/heads embedPadded: cls / pooled / mean over the mask; any layer on tfjs, the last
 * with ORT).
 */
export function embedExec(m: ServedModel, options: EmbedOptions, limits: Limits, metrics: Metrics) {
  return (items: EncodedRow[]): Promise<number[][]> =>
    chunked(items, () => 1, (r) => r.inputIds.length, limits, (chunk) =>
      timed(metrics, m, 'embeddings', chunk, () => embedPadded(m.forward ?? m.encoder, padRows(chunk.map((r) => [r]), m.tokenizer.padTokenId), options)),
    );
}

/** Every token's last-layer vector (TEI /embed_all): per item [T_i·H], padding cut off. */
export function hiddenExec(m: ServedModel, limits: Limits, metrics: Metrics) {
  const H = m.config.hiddenSize;
  return (items: EncodedRow[]): Promise<Float32Array[]> =>
    chunked(items, () => 1, (r) => r.inputIds.length, limits, (chunk) =>
      timed(metrics, m, 'embed_all', chunk, async () => {
        const { data, dims } = await hiddenStates(m.forward ?? m.encoder, padRows(chunk.map((r) => [r]), m.tokenizer.padTokenId)); // [B, T, H]
        const T = dims[1];
        return chunk.map((r, b) => data.slice(b * T * H, (b * T + r.inputIds.length) * H)); // [T_b, H]
      }),
    );
}

export interface MaskItem extends MaskedRow {
  topK: number;
}

export type MaskTop = MaskTopK;

/** MLM logits an ORT pass may hold at once (floats): ORT returns [B, T, V] for the whole batch, ranked on the CPU. */
export const ORT_MLM_LOGITS_BUDGET = 2 ** 26;

/**
 * Top-k vocabulary entries at each [MASK] (@bertkit/heads fillMaskRows on the checkpoint's masked-LM head; with
 * ORT its [B, T, V] logits, so a pass holds at most ORT_MLM_LOGITS_BUDGET of them: 256 MB).
 */
export function fillMaskExec(m: ServedModel, limits: Limits, metrics: Metrics) {
  const model = m.forward ?? { bert: m.encoder, mlm: m.mlm! };
  const passLimits = m.forward ? { ...limits, maxBatchTokens: Math.max(1, Math.min(limits.maxBatchTokens, Math.floor(ORT_MLM_LOGITS_BUDGET / m.config.vocabSize))) } : limits;
  return (items: MaskItem[]): Promise<MaskTop[][]> =>
    chunked(items, () => 1, (r) => r.inputIds.length, passLimits, (chunk) =>
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
        const { data, shape } = await batchLogits(m.forward ?? task, padRows(chunk, m.tokenizer.padTokenId, mc)); // [B, K] | [B, T, K] | [B, C]
        const per = data.length / chunk.length;
        return chunk.map((rows, b) => {
          const row = data.subarray(b * per, (b + 1) * per);
          if (task.kind === 'token-classification' || task.kind === 'question-answering') {
            const k = shape[2];
            return row.slice(0, rows[0].inputIds.length * k); // [T_i, K]
          }
          return row.slice();
        });
      }),
    );
}
