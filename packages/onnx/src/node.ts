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
