// What every training step feeds its ONNX graph besides the batch: int64 conversion, the dropout masks (drawn with
// @bertkit/backend's counter-based hash, keys from the run's Rng in the order the tfjs forward draws them, so both
// engines drop the same elements), and the parameters' current values.
import { dropoutMask, type Rng } from '@bertkit/backend';
import type { BertConfig } from '@bertkit/encoder';
import type * as tf from '@tensorflow/tfjs-core';
import type { DropoutSite, TrainGraph } from './train-graph.js';
import type { OrtFeeds, OrtModule } from './ort-types.js';

export function int64(values: ArrayLike<number>): BigInt64Array {
  const out = new BigInt64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = BigInt(values[i]);
  return out;
}

/** A batch's [B, T]. */
export interface BatchDims {
  batchSize: number;
  seqLength: number;
}

function maskDims(site: DropoutSite, c: BertConfig, b: BatchDims): number[] {
  switch (site) {
    case 'attention':
      return [b.batchSize, c.numAttentionHeads, b.seqLength, b.seqLength];
    case 'classifier-pooled':
      return [b.batchSize, c.hiddenSize];
    default:
      return [b.batchSize, b.seqLength, c.hiddenSize];
  }
}

function rateOf(site: DropoutSite, c: BertConfig): number {
  if (site === 'attention') return c.attentionProbsDropoutProb;
  if (site === 'hidden') return c.hiddenDropoutProb;
  return c.classifierDropout ?? c.hiddenDropoutProb;
}

/** The dropout masks of one forward pass, one key per mask from `rng`; `rng` null: masks of ones (nothing dropped). */
export function dropoutFeeds(ort: OrtModule, inputs: TrainGraph['dropout'], c: BertConfig, b: BatchDims, rng: Rng | null): OrtFeeds {
  const feeds: OrtFeeds = {};
  for (const { name, site } of inputs) {
    const dims = maskDims(site, c, b);
    const size = dims.reduce((x, y) => x * y, 1);
    const mask = rng === null ? new Float32Array(size).fill(1) : dropoutMask({ rate: rateOf(site, c), key: rng.nextUint32() }, size);
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
