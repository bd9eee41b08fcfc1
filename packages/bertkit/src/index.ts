// bertkit (browser-safe entry): `pipeline()` and the main API of every @bertkit package in one import.
// The most used names are exported flat (chosen so that none clashes); every package is also exported whole as a
// namespace (`heads.squadFeatures`, `pretraining.createInstances`, …). Node file and hub loading: 'bertkit/node'.

// pipeline()
export { pipeline } from './pipeline/pipeline';
export { createPipeline, headKindFor, type PipelineEngine } from './pipeline/create-pipeline';
export { PipelineError } from './pipeline/errors';
export * from './pipeline/types';

// Whole packages, as namespaces.
export * as tokenizer from '@bertkit/tokenizer';
export * as backend from '@bertkit/backend';
export * as encoder from '@bertkit/encoder';
export * as heads from '@bertkit/heads';
export * as training from '@bertkit/training';
export * as pretraining from '@bertkit/pretraining';

// Tokenizer: WordPiece with HF parity and offsets.
export {
  BertTokenizer,
  tokenizerFromFiles,
  trainWordPiece,
  decodeWordPieces,
  VocabError,
  TokenizerConfigError,
  TokenizerJsonError,
  type Encoding,
  type EncodeOptions,
  type TokenizerFiles,
} from '@bertkit/tokenizer';

// Backend: pick and initialise a tfjs backend; seeded randomness.
export { initBackend, describeBackend, BACKEND_NAMES, DEFAULT_PREFERENCE, BackendError, Rng, type BackendChoice, type BackendName, type InitBackendOptions } from '@bertkit/backend';

// Encoder: config, the model, the masked-LM head, checkpoint formats.
export {
  BertModel,
  MlmHead,
  bertConfig,
  parseConfig,
  presets,
  countParameters,
  modelFromTensors,
  readSafetensors,
  writeSafetensors,
  readCheckpoint,
  ConfigError,
  ModelDirError,
  WeightsError,
  type BertConfig,
  type BertInputs,
  type BertOutput,
  type PresetName,
  type RawTensor,
} from '@bertkit/encoder';

// Heads: the loader, the task models and their one-call predictions, fine-tuning.
export {
  loadBertFromFiles,
  maskedLmOf,
  BertTaskModel,
  fillMask,
  embedTexts,
  embedTokens,
  classify,
  tagWords,
  answerQuestion,
  chooseEnding,
  predictLogits,
  fineTune,
  aggregateEntities,
  pipelineAnswers,
  HeadConfigError,
  TaskInputError,
  type AggregationStrategy,
  type TokenAggregation,
  type BertFiles,
  type EntityGroup,
  type FillMaskCandidate,
  type HeadKind,
  type LabelScore,
  type LoadedBert,
  type PipelineAnswer,
  type TokenEntity,
} from '@bertkit/heads';

// Training: the one loop, AdamW, schedules.
export { train, AdamW, linearWarmupDecay, warmupSteps, DEFAULT_WARMUP_PROPORTION, clipByGlobalNorm, TrainingConfigError, type TrainEvent, type TrainOptions } from '@bertkit/training';

// Pre-training: instances, masking, BertForPreTraining.
export { BertForPreTraining, createInstances, createMaskedLmPredictions, pretrainingInstances, collateInstances, type PretrainingBatch, type TrainingInstance } from '@bertkit/pretraining';
