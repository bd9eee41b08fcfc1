// Held-out masked-LM loss and accuracy: instances made from unseen text with the training masking (80/10/10 at the
// chosen rate), scored in eval mode (no dropout). Means are over predictions, not batches, so a short last batch
// weighs what it holds. Nothing is trained; the model is read only.
import type * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@bertkit/backend';
import { iterateBatches } from './data-batch.js';
import { DataConfigError, resolveDataOptions } from './data-config.js';
import { predictionsPerInstance, pretrainingInstances } from './data-pipeline.js';
import type { PretrainingTokenizer } from './instances-vocab.js';
import type { TrainingInstance } from './instances.js';
import { flatPredictions } from './pretraining-model-batch.js';
import type { BertForPreTraining } from './pretraining-model.js';

export interface MlmEvaluation {
  /** Mean cross-entropy (nats) over the masked predictions. */
  loss: number;
  /** Share of masked predictions whose arg-max is the original token. */
  accuracy: number;
  predictions: number;
  instances: number;
}

/** Scores `instances` (each used once) in batches of `batchSize`. */
export async function evaluateMlm(
  model: BertForPreTraining,
  instances: readonly TrainingInstance[],
  options: { batchSize: number; maxSeqLength: number; maxPredictions: number; padId: number; onBatch?: (done: number, total: number) => void },
): Promise<MlmEvaluation> {
  const { batchSize, maxSeqLength, maxPredictions, padId } = options;
  let loss = 0;
  let correct = 0;
  let predictions = 0;
  const batches = Math.ceil(instances.length / batchSize);
  let i = 0;
  for (const { batch } of iterateBatches(instances, batchSize, maxSeqLength, maxPredictions, { epoch: 0, record: 0 }, padId)) {
    if (i === batches) break;
    const rows = Math.min(batchSize, instances.length - i * batchSize);
    // the last batch wraps around to the first instances: score only the rows it adds
    const part = rows === batchSize ? batch : { ...batch, maskedWeights: batch.maskedWeights.map((w, k) => (Math.floor(k / batch.maxPredictions) < rows ? w : 0)) };
    const n = flatPredictions(part).labels.length;
    if (n > 0) {
      const { loss: total, metrics } = model.loss(part);
      const [l, a] = await Promise.all([(metrics.mlmLoss as tf.Scalar).data(), (metrics.mlmAccuracy as tf.Scalar).data()]);
      total.dispose();
      for (const t of Object.values(metrics)) (t as tf.Tensor).dispose();
      loss += l[0] * n;
      correct += a[0] * n;
      predictions += n;
    }
    i++;
    options.onBatch?.(i, batches);
  }
  return { loss: loss / Math.max(1, predictions), accuracy: correct / Math.max(1, predictions), predictions, instances: instances.length };
}

/**
 * Held-out text → instances with the training masking (`maskedLmProb`, 80/10/10, MLM only, at most `maxInstances`,
 * seeded) → `evaluateMlm` in batches of 32: what `bert eval mlm` and the quickstart report.
 */
export async function evaluateMlmOnText(
  model: BertForPreTraining,
  documents: AsyncIterable<readonly string[]> | Iterable<readonly string[]>,
  tokenizer: PretrainingTokenizer,
  options: { seed: number; maxSeqLength?: number; maskedLmProb?: number; maxInstances?: number; onBatch?: (done: number, total: number) => void },
): Promise<MlmEvaluation> {
  const opts = resolveDataOptions({ maxSeqLength: options.maxSeqLength ?? 128, maskedLmProb: options.maskedLmProb ?? 0.15, dupeFactor: 1 });
  const instances: TrainingInstance[] = [];
  for await (const x of pretrainingInstances(documents, tokenizer, { ...opts, objective: 'mlm' }, new Rng(options.seed))) {
    instances.push(x);
    if (instances.length >= (options.maxInstances ?? Infinity)) break;
  }
  if (instances.length === 0) throw new DataConfigError('evaluateMlmOnText documents: expected text that yields instances, got none');
  return evaluateMlm(model, instances, { batchSize: 32, maxSeqLength: opts.maxSeqLength, maxPredictions: predictionsPerInstance(opts, 'mlm'), padId: tokenizer.padTokenId, onBatch: options.onBatch });
}
