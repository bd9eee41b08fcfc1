// Text documents → pre-training instances in one call, for the CLI (`bert pretrain-data`), the browser and tests:
// tokenize, build sentence pairs (or LTR pieces) window by window, mask. One `Rng` drives everything, so the
// same corpus, tokenizer, options and seed give the same instances.
import type { Rng } from '@bertkit/backend';
import { resolveDataOptions, type DataOptions } from './data-config.js';
import { generateInstances, tokenizeStream } from './instances-stream.js';
import { vocabInfo, type PretrainingTokenizer } from './instances-vocab.js';
import type { TrainingInstance } from './instances.js';

/** Pre-training objective (paper Table 5 ablations): MLM + NSP (default), MLM only ("No NSP"), left-to-right LM. */
export type Objective = 'mlm+nsp' | 'mlm' | 'ltr';

export interface PipelineOptions extends Partial<DataOptions> {
  objective?: Objective;
  /** Documents per instance-creation window (default 10,000; see `generateInstances`). */
  windowDocuments?: number;
}

/** Predictions per record a shard needs for `objective`: LTR predicts at every position but [SEP]'s. */
export function predictionsPerInstance(opts: DataOptions, objective: Objective = 'mlm+nsp'): number {
  return objective === 'ltr' ? opts.maxSeqLength - 2 : opts.maxPredictionsPerSeq;
}

/** Streams the instances of text documents (each a list of sentences). */
export function pretrainingInstances(
  docs: AsyncIterable<readonly string[]> | Iterable<readonly string[]>,
  tok: PretrainingTokenizer,
  options: PipelineOptions,
  rng: Rng,
): AsyncGenerator<TrainingInstance> {
  const objective = options.objective ?? 'mlm+nsp';
  if (objective !== 'mlm+nsp' && objective !== 'mlm' && objective !== 'ltr') {
    throw new RangeError(`objective: expected 'mlm+nsp', 'mlm' or 'ltr', got ${JSON.stringify(objective)}`);
  }
  const opts = resolveDataOptions(options);
  return generateInstances(tokenizeStream(docs, tok), opts, vocabInfo(tok), rng, { objective, windowDocuments: options.windowDocuments });
}
