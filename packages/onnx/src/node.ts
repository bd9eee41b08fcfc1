// Node entry (`@bertkit/onnx/node`): export to a transformers.js model folder, and the ONNX Runtime engine
// (onnxruntime-node, an optional dependency imported on first use).
export * from './index.js';
export { TOKENIZER_FILES, exportOnnx, exportOnnxDir, type ExportDirOptions, type ExportDirResult, type OnnxSource } from './export-onnx.js';
export {
  createOrtEncoder,
  importOnnxRuntime,
  ortSessionOptions,
  type IdArray,
  type OrtEncoder,
  type OrtEncoderOptions,
  type OrtInputs,
  type OrtOutput,
} from './ort-encoder.js';
export { createOrtBert, ortHeadOf, type OrtBert, type OrtBertInputs, type OrtBertOptions, type OrtBertSource } from './ort-bert.js';
export { OrtTrainRunner, type OrtTrainRunnerOptions } from './train/ort-train-runner.js';
export { loadOrt, type OrtFeeds, type OrtModule, type OrtSession, type OrtTensor } from './train/ort-types.js';
export { dropoutFeeds, int64, readParams, type BatchDims } from './train/train-feeds.js';
