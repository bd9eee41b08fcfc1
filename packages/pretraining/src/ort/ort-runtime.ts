// onnxruntime-node as the ort training engine sees it (types and loader live in @bertkit/onnx/node).
export { loadOrt, type OrtFeeds, type OrtModule, type OrtSession, type OrtTensor } from '@bertkit/onnx/node';
