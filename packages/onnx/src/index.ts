// Browser-safe entry of @bertkit/onnx: build the ONNX model of a BERT checkpoint in memory. The file-system
// export (`exportOnnx`, `exportOnnxDir`) and the onnxruntime-node engine live in '@bertkit/onnx/node'.
export { IR_VERSION, MAX_MODEL_BYTES, OPSET, buildOnnxModel, type BuildOnnxOptions, type OnnxModel, type TensorSpec } from './build-model.js';
export { FLOAT32_MIN } from './encoder-graph.js';
export { OnnxExportError, OrtEngineError } from './errors.js';
export { HEAD_KINDS, headOf, type HeadKind } from './heads.js';
export { ortThreadsText } from './ort-threads.js';
export { decodeModel, encodeModel, type Dim, type ModelProto } from './onnx-proto.js';
export { buildPretrainingGraph, type PretrainingGraphOptions, type TrainGraph, type TrainObjective } from './train/pretraining-graph.js';
export { TRAIN_TASK_KINDS, buildTaskGraph, type TaskGraphOptions, type TrainTaskKind } from './train/task-graph.js';
export type { DropoutSite } from './train/train-graph.js';
export { buildAdamWGraph, type AdamWGraphOptions } from './train/adamw-graph.js';
export { dropoutInputs, type DropoutSites } from './train/encoder-train.js';
