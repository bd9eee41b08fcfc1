// Node entry (`@bertkit/encoder/node`): file-system model directories. Browser code imports '@bertkit/encoder'
// (which also exports the errors these throw: ModelDirError, ConfigError, CheckpointError, WeightsError).
export {
  checkModelDir,
  loadModel,
  saveModel,
  readCheckpointDir,
  type LoadModelOptions,
  type LoadedModel,
  type ModelDirFiles,
  type SaveModelOptions,
} from './model-dir.js';
