// Browser-safe entry of @bertkit/encoder: config, the BERT model and its layers, weight mapping and the
// checkpoint readers/writers (pure bytes in, bytes out). File-system helpers live in '@bertkit/encoder/node'.
export {
  ConfigError,
  DEFAULT_CONFIG,
  HIDDEN_ACTS,
  bertConfig,
  parseConfig,
  toConfigJson,
  validateConfig,
  type BertConfig,
  type HiddenAct,
} from './config.js';
export { ModelDirError, checkVocabSize, parseJsonFile, type VocabSizeFiles } from './model-files.js';
export { presets, type PresetName } from './presets.js';
export { countParameters, type CountOptions } from './parameter-count.js';
export {
  BertInputError,
  BertModel,
  disposeBertOutput,
  type BertInputs,
  type BertModelOptions,
  type BertOutput,
  type ForwardOptions,
  type NamedParameter,
} from './bert-model.js';
export {
  WeightsError,
  assertCleanLoad,
  isEncoderWeight,
  loadState,
  normalizeWeightName,
  normalizeWeights,
  stateDict,
  type LoadReport,
  type MismatchedWeight,
  type NormalizedWeights,
  type StateDictOptions,
} from './weights.js';
// Building blocks the heads reuse (e.g. BertPredictionHeadTransform = Dense + activation + LayerNorm).
export {
  Dense,
  DropoutError,
  LayerNorm,
  activation,
  dropout,
  dropoutDraw,
  geluErf,
  geluTanh,
  type ForwardContext,
  type Init,
  type NamedParams,
  type Param,
} from './layers/modules.js';
export * from './checkpoint/index.js';
export { stackLayers } from './stack-layers.js';
export { modelFromTensors, type LoadModelOptions, type LoadedModel } from './model-from-tensors.js';
export { HeadWeightsError, assignHeadParams, headTensors, type HeadParam } from './head-params.js';
export { MlmHead, headInit, maskedTopK, type MaskedTopK, type MaskedTopKOptions, type MlmHeadConfig } from './mlm-head.js';
