// What one pre-training micro-step feeds the ONNX training graph: the batch as int64 tensors (the real
// predictions as flat positions b·T + t, the NSP rows that have a label); the dropout masks and the parameters are
// @bertkit/onnx's (re-exported).
import type { TrainObjective } from '@bertkit/onnx';
import { int64 } from '@bertkit/onnx/node';
import type { PretrainingBatch } from '../data-batch.js';
import { flatPredictions } from '../pretraining-model-batch.js';
import type { OrtFeeds, OrtModule } from './ort-runtime.js';

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

export { dropoutFeeds, readParams } from '@bertkit/onnx/node';
