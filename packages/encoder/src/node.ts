// Node entry (`@bertkit/encoder/node`): file-system model directories. Browser code imports '@bertkit/encoder'
// (which also exports the errors these throw: ModelDirError, ConfigError, CheckpointError, WeightsError).
export {
  checkModelDir,
  loadModel,
  saveModel,
  readCheckpointDir,
  type ModelDirFiles,
  type SaveModelOptions,
} from './model-dir.js';
export type { LoadModelOptions, LoadedModel } from './model-from-tensors.js';
