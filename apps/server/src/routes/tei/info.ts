// TEI's GET /info (router/src/lib.rs `Info`): the served model (the first loaded one) and the router's limits,
// mapped from the server's options: max_concurrent_requests = --max-queue, max_batch_tokens = --max-batch-tokens,
// max_batch_requests = --max-batch-size, max_client_batch_size = --max-texts; tokenization runs on the one
// event-loop thread.
import type { Ctx } from '../../context.js';
import { poolingOf, teiModel } from './tei-common.js';

export function teiInfo(ctx: Ctx, version: string): Record<string, unknown> {
  const m = teiModel(ctx);
  const o = ctx.options;
  let modelType: Record<string, unknown>;
  if (m.operations.includes('classify')) {
    const K = m.config.numLabels;
    const id2label: Record<string, string> = {};
    const label2id: Record<string, number> = {};
    for (let i = 0; i < K; i++) {
      const label = m.config.id2label?.[String(i)] ?? `LABEL_${i}`;
      id2label[String(i)] = label;
      label2id[label] = i;
    }
    modelType = { classifier: { id2label, label2id } };
  } else modelType = { embedding: { pooling: poolingOf(m) } };
  return {
    model_id: m.name,
    model_sha: null,
    model_dtype: 'float32',
    served_model_name: m.name,
    model_type: modelType,
    max_concurrent_requests: o.maxQueue,
    max_input_length: m.maxTokens,
    max_batch_tokens: o.maxBatchTokens,
    max_batch_requests: o.maxBatchSize,
    max_client_batch_size: o.maxTexts,
    auto_truncate: o.overflow === 'truncate',
    tokenization_workers: 1,
    version,
    sha: null,
    docker_label: null,
  };
}
