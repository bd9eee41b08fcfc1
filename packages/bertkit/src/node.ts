// bertkit/node: everything of 'bertkit', plus loading from disk and the HF hub. `pipeline` here also takes a
// model directory or a hub id (`org/name[@revision]`).
export * from './index';
export { pipeline, type EngineOptions, type HubOptions, type NodePipelineOptions } from './pipeline/node-pipeline';

export * as tokenizerNode from '@bertkit/tokenizer/node';
export * as encoderNode from '@bertkit/encoder/node';
export * as headsNode from '@bertkit/heads/node';
export * as trainingNode from '@bertkit/training/node';
export * as pretrainingNode from '@bertkit/pretraining/node';
export * as hub from '@bertkit/hub';

export { loadTokenizer, saveTokenizer } from '@bertkit/tokenizer/node';
export { loadModel, saveModel, readCheckpointDir } from '@bertkit/encoder/node';
export { loadBert, loadTaskModel, saveTaskModel } from '@bertkit/heads/node';
export { saveCheckpoint, loadCheckpoint, latestCheckpoint } from '@bertkit/training/node';
export { loadPretrainingModel, savePretrainingModel, writePretrainingData, readCorpus } from '@bertkit/pretraining/node';
export { resolveModel, HubError, type ResolveModelOptions, type ResolvedModel } from '@bertkit/hub';
