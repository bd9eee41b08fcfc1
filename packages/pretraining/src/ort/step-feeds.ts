// What one pre-training micro-step feeds the ONNX training graph: the batch as int64 tensors (the real
// predictions as flat positions b·T + t, the NSP rows that have a label), the dropout masks, the parameters.
import { dropoutMask, type Rng } from '@bertkit/backend';
import type { BertConfig } from '@bertkit/encoder';
import type { TrainObjective } from '@bertkit/onnx';
import type * as tf from '@tensorflow/tfjs-core';
import type { PretrainingBatch } from '../data-batch.js';
import { flatPredictions } from '../pretraining-model-batch.js';
import type { OrtFeeds, OrtModule } from './ort-runtime.js';

function int64(values: ArrayLike<number>): BigInt64Array {
  const out = new BigInt64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = BigInt(values[i]);
  return out;
}

/** input_ids, token_type_ids, attention_mask [B, T]; mlm_positions, mlm_labels [N]; nsp_rows, nsp_labels [M]. */
export function batchFeeds(ort: OrtModule, b: PretrainingBatch, objective: TrainObjective): OrtFeeds {
  const shape = [b.batchSize, b.seqLength];
  const { positions, labels } = flatPredictions(b);
  const feeds: OrtFeeds = {
    input_ids: new ort.Tensor('int64', int64(b.inputIds), shape),
    token_type_ids: new ort.Tensor('int64', int64(b.tokenTypeIds), shape),
    attention_mask: new ort.Tensor('int64', int64(b.attentionMask), shape),
    mlm_positions: new ort.Tensor('int64', int64(positions), [positions.length]),
    mlm_labels: new ort.Tensor('int64', int64(labels), [labels.length]),
  };
  if (objective === 'mlm+nsp') {
    const rows = [...b.nspLabels.keys()].filter((i) => b.nspLabels[i] >= 0); // IGNORE_INDEX: no label
    feeds.nsp_rows = new ort.Tensor('int64', int64(rows), [rows.length]);
    feeds.nsp_labels = new ort.Tensor('int64', int64(rows.map((i) => b.nspLabels[i])), [rows.length]);
  }
  return feeds;
}

/** The shape of a dropout mask: [B, T, H] at the hidden-state sites, [B, A, T, T] on the attention probabilities. */
function maskDims(site: 'hidden' | 'attention', c: BertConfig, b: PretrainingBatch): number[] {
  return site === 'hidden' ? [b.batchSize, b.seqLength, c.hiddenSize] : [b.batchSize, c.numAttentionHeads, b.seqLength, b.seqLength];
}

/**
 * The dropout masks of one forward pass: a key per mask from `rng` in the order the tfjs forward draws them, so
 * the graph drops exactly the elements the tfjs backends drop; `rng` null: masks of ones (nothing dropped).
 */
export function dropoutFeeds(
  ort: OrtModule,
  inputs: ReadonlyArray<{ name: string; site: 'hidden' | 'attention' }>,
  c: BertConfig,
  b: PretrainingBatch,
  rng: Rng | null,
): OrtFeeds {
  const feeds: OrtFeeds = {};
  for (const { name, site } of inputs) {
    const dims = maskDims(site, c, b);
    const size = dims.reduce((x, y) => x * y, 1);
    const rate = site === 'hidden' ? c.hiddenDropoutProb : c.attentionProbsDropoutProb;
    const mask = rng === null ? new Float32Array(size).fill(1) : dropoutMask({ rate, key: rng.nextUint32() }, size);
    feeds[name] = new ort.Tensor('float32', mask, dims);
  }
  return feeds;
}

/** The variables' values (awaited reads), by name. */
export async function readParams(params: ReadonlyMap<string, tf.Variable>): Promise<Map<string, Float32Array>> {
  const names = [...params.keys()];
  const data = await Promise.all(names.map((n) => params.get(n)!.data() as Promise<Float32Array>));
  return new Map(names.map((n, i) => [n, data[i]]));
}
