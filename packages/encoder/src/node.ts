// Node entry (`@bertkit/encoder/node`): file-system model directories. Browser code imports '@bertkit/encoder'.
export {
  loadModel,
  saveModel,
  readCheckpointDir,
  type LoadModelOptions,
  type LoadedModel,
  type SaveModelOptions,
} from './model-dir.js';
