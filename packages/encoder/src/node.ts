// Node entry (`@bertkit/encoder/node`): file-system model directories. Browser code imports '@bertkit/encoder'.
export {
  loadModel,
  saveModel,
  readCheckpointDir,
  type SaveModelOptions,
} from './model-dir.js';
export type { LoadModelOptions, LoadedModel } from './model-from-tensors.js';
