// Node-only entry point (`@bertkit/pretraining/node`): file and stream readers. Re-exports the browser-safe API.
export * from './index.js';
export { CorpusError, CorpusReader, listCorpusFiles, readCorpus } from './corpus-reader.js';
export type { CorpusReport, FileReport, ReadCorpusOptions } from './corpus-reader.js';
export { brownCorpusDir, readBrown, readBrownDocuments } from './brown-reader.js';
export { ShardWriter, listShards, readBatches, readShardInstances, writeShards } from './shards-file.js';
export type { BatchWithPosition, DataPosition, ReadBatchesOptions, ShardWriterOptions } from './shards-file.js';
export { DATA_META_FILE, corpusDocuments, readDataMeta, writePretrainingData } from './data-files.js';
export type { DataMeta, WriteDataOptions } from './data-files.js';
export { loadPretrainingModel, pretrainingCheckpointer, resumePretraining, savePretrainingModel } from './pretraining-model-node.js';
export type { LoadPretrainingOptions, PretrainingCheckpointOptions, ResumedPretraining } from './pretraining-model-node.js';
export { PretrainConfigError, modelConfig, runPretraining } from './pretrain-run-node.js';
export type { ModelShape, PretrainRunEvent, PretrainRunOptions, PretrainRunResult } from './pretrain-run-node.js';
export { OrtStepRunner, type OrtStepRunnerOptions } from './ort/ort-step-runner.js';
