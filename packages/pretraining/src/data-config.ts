// The options of pre-training data generation, with google-research/bert's defaults (`create_pretraining_data.py`
// flags), validated once. Errors name the field, the expected and the actual value.

export class DataConfigError extends Error {
  override name = 'DataConfigError';
}

/** How segments are built (`create_instances_from_document`). */
export interface InstanceOptions {
  /** Total tokens per instance incl. [CLS] and [SEP]s (default 128). */
  maxSeqLength: number;
  /** Probability that a document's target length is drawn uniformly from [2, maxSeqLength - 3] (default 0.1). */
  shortSeqProb: number;
  /** Times each document is turned into instances (different segmentation and masks; default 10). */
  dupeFactor: number;
}

/** How tokens are chosen and replaced (`create_masked_lm_predictions`). */
export interface MaskingOptions {
  /** Fraction of the tokens to predict (default 0.15). */
  maskedLmProb: number;
  /** Cap on predictions per instance (default 20). */
  maxPredictionsPerSeq: number;
  /** Of the chosen tokens: share replaced by [MASK] / a random vocabulary token / kept (default 0.8/0.1/0.1). */
  mask: number;
  random: number;
  keep: number;
  /** Choose whole words (a word-piece and its following ## pieces) together (default false). */
  wholeWordMask: boolean;
}

export type DataOptions = InstanceOptions & MaskingOptions;

export const DEFAULT_DATA_OPTIONS: Readonly<DataOptions> = Object.freeze({
  maxSeqLength: 128,
  shortSeqProb: 0.1,
  dupeFactor: 10,
  maskedLmProb: 0.15,
  maxPredictionsPerSeq: 20,
  mask: 0.8,
  random: 0.1,
  keep: 0.1,
  wholeWordMask: false,
});

function check(ok: boolean, field: string, expected: string, actual: unknown): void {
  if (!ok) throw new DataConfigError(`${field}: expected ${expected}, got ${JSON.stringify(actual)}`);
}

const isProb = (x: unknown): boolean => typeof x === 'number' && x >= 0 && x <= 1;

/** Fills defaults and validates; the result is the only form the generators accept. */
export function resolveDataOptions(options: Partial<DataOptions> = {}): DataOptions {
  const o: DataOptions = { ...DEFAULT_DATA_OPTIONS, ...options };
  check(Number.isInteger(o.maxSeqLength) && o.maxSeqLength >= 5 && o.maxSeqLength <= 65535, 'maxSeqLength', 'an integer in [5, 65535]', o.maxSeqLength);
  check(isProb(o.shortSeqProb), 'shortSeqProb', 'a probability in [0, 1]', o.shortSeqProb);
  check(Number.isInteger(o.dupeFactor) && o.dupeFactor >= 1, 'dupeFactor', 'an integer >= 1', o.dupeFactor);
  check(isProb(o.maskedLmProb), 'maskedLmProb', 'a probability in [0, 1]', o.maskedLmProb);
  check(Number.isInteger(o.maxPredictionsPerSeq) && o.maxPredictionsPerSeq >= 1 && o.maxPredictionsPerSeq <= o.maxSeqLength, 'maxPredictionsPerSeq', `an integer in [1, maxSeqLength=${o.maxSeqLength}]`, o.maxPredictionsPerSeq);
  for (const k of ['mask', 'random', 'keep'] as const) check(isProb(o[k]), k, 'a probability in [0, 1]', o[k]);
  const sum = o.mask + o.random + o.keep;
  check(Math.abs(sum - 1) < 1e-9, 'mask + random + keep', 'a sum of 1', sum);
  check(typeof o.wholeWordMask === 'boolean', 'wholeWordMask', 'a boolean', o.wholeWordMask);
  return o;
}
