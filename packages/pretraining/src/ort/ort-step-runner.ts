// The ONNX Runtime engine of the pre-training loop (`engine: 'ort'`): @bertkit/onnx's OrtTrainRunner on the graph
// it builds for BertForPreTraining (forward, loss, every gradient), fed the pre-training batch. Dropout masks are
// the tfjs backends' (counter-based, keys drawn from the run's Rng in the same order), so both engines drop the
// same elements; `sync()` writes parameters and AdamW state back, so checkpoints and the saved model are tfjs'.
import { buildPretrainingGraph, type TrainObjective } from '@bertkit/onnx';
import { OrtTrainRunner } from '@bertkit/onnx/node';
import type { AdamW } from '@bertkit/training';
import type { PretrainingBatch } from '../data-batch.js';
import { PretrainingModelError } from '../objectives.js';
import type { BertForPreTraining } from '../pretraining-model.js';
import { batchFeeds } from './step-feeds.js';

export interface OrtStepRunnerOptions {
  model: BertForPreTraining;
  optimizer: AdamW;
  /** Global-norm clipping threshold; null disables. Default 1.0 (BERT's). */
  clipNorm?: number | null;
  /** ORT threads per operator (intraOpNumThreads). Default: ORT's choice (the physical cores). */
  threads?: number;
}

const METRICS: Record<string, string> = { mlm_loss: 'mlmLoss', mlm_accuracy: 'mlmAccuracy', nsp_loss: 'nspLoss', nsp_accuracy: 'nspAccuracy' };

export type OrtStepRunner = OrtTrainRunner<PretrainingBatch>;

export const OrtStepRunner = {
  /** Builds both graphs from the model's parameters and the optimizer's settings, and reads their current values. */
  async create(o: OrtStepRunnerOptions): Promise<OrtStepRunner> {
    const objective = o.model.objective;
    if (objective !== 'mlm' && objective !== 'mlm+nsp') {
      throw new PretrainingModelError(`engine ort: expected objective mlm or mlm+nsp, got ${objective} (train it with the tfjs engine)`);
    }
    const params = o.model.parameters();
    const shapes = new Map([...params].map(([n, p]) => [n, p.shape.slice()]));
    return OrtTrainRunner.create<PretrainingBatch>({
      graph: buildPretrainingGraph(o.model.config, { objective: objective as TrainObjective, shapes }),
      config: o.model.config,
      params,
      optimizer: o.optimizer,
      clipNorm: o.clipNorm,
      threads: o.threads,
      batchFeeds: (ort, batch) => ({ feeds: batchFeeds(ort, batch, objective), dims: batch }),
      metricKeys: METRICS,
      caller: 'engine ort',
    });
  },
};
