// A BERT checkpoint (config + tensors) → the bytes of an ONNX model, built here in TypeScript. Browser-safe:
// no file system (the directory layout transformers.js loads is written by `exportOnnx` in the node entry).
import { numel, type BertConfig, type RawTensor } from '@bertkit/encoder';
import { buildEncoder } from './encoder-graph.js';
import { OnnxExportError } from './errors.js';
import { GraphBuilder } from './graph-builder.js';
import { buildHead, encoderOutputs, headOf, type HeadKind } from './heads.js';
import { DataType, encodeModel, valueInfo, type Dim, type ModelProto } from './onnx-proto.js';
import { Weights } from './weights.js';

/** ai.onnx opset: 17 is the first with LayerNormalization. */
export const OPSET = 17;
/** IR version 8 goes with opset 17 (onnx/onnx docs/Versioning.md). */
export const IR_VERSION = 8;
/** A protobuf message cannot exceed 2 GiB; weights stored as external data are not implemented. */
export const MAX_MODEL_BYTES = 2 ** 31 - 2 ** 24;

export interface BuildOnnxOptions {
  /** The head to export; default: the one config.architectures[0] names. */
  head?: HeadKind;
  /**
   * Use ONNX Runtime contrib ops (com.microsoft Attention, SkipLayerNormalization, BiasGelu). Faster in ORT,
   * loadable only by ORT. Default false: standard ops that any ONNX runtime loads.
   */
  optimize?: boolean;
  /** Written into the model's producer_version. */
  producerVersion?: string;
  /**
   * Also output the encoder's `last_hidden_state` (and `pooler_output` when the checkpoint has a pooler) beside
   * the head's outputs, so that one ONNX Runtime session serves embeddings and the head. Default false (the
   * outputs HF / optimum give the head). No effect for head `base`, whose outputs they are.
   */
  encoderOutputs?: boolean;
}

export interface TensorSpec {
  name: string;
  dims: Dim[];
}

export interface OnnxModel {
  bytes: Uint8Array;
  head: HeadKind;
  inputs: TensorSpec[];
  outputs: TensorSpec[];
}

/** Builds the ONNX model of `config` with the checkpoint `tensors` (any HF naming: `bert.` prefix optional). */
export function buildOnnxModel(config: BertConfig, tensors: Map<string, RawTensor>, options: BuildOnnxOptions = {}): OnnxModel {
  const head = options.head ?? headOf(config);
  let total = 0;
  for (const t of tensors.values()) total += numel(t.shape) * 4;
  if (total > MAX_MODEL_BYTES) {
    throw new OnnxExportError('weights', `at most ${MAX_MODEL_BYTES} bytes of float32 (ONNX external data is not supported)`, `${total} bytes`);
  }
  const weights = new Weights(tensors);
  const g = new GraphBuilder();
  const dims: Dim[] = head === 'mc' ? ['batch_size', 'num_choices', 'sequence_length'] : ['batch_size', 'sequence_length'];
  const names = ['input_ids', 'attention_mask', 'token_type_ids'].map((n) => g.reserve(n));
  // BertForMultipleChoice runs the encoder on [B·C, T]; C comes back for the final [B, C] reshape.
  const flat = (n: string) => (head === 'mc' ? g.op('Flatten', [n], { axis: { int: 2 } }) : n); // [B·C, T]
  const numChoices = head === 'mc' ? g.op('Shape', [names[0]], { start: { int: 1 }, end: { int: 2 } }) : undefined; // [1]
  const enc = buildEncoder(g, config, weights, { inputIds: flat(names[0]), attentionMask: flat(names[1]), tokenTypeIds: flat(names[2]) }, options.optimize ?? false);
  const outputs = buildHead(g, config, weights, head, enc, numChoices);
  if (options.encoderOutputs && head !== 'base') outputs.push(...encoderOutputs(config, enc, head === 'mc'));
  // Graph outputs get their public names through Identity nodes (a value may be both an output and an input).
  for (const o of outputs) g.op('Identity', [o.value], {}, { name: o.name });

  const opsetImport = [{ domain: '', version: OPSET }];
  if (options.optimize) opsetImport.push({ domain: 'com.microsoft', version: 1 });
  const model: ModelProto = {
    irVersion: IR_VERSION,
    opsetImport,
    producerName: 'bertkit',
    producerVersion: options.producerVersion ?? '0.1.0',
    docString: `BERT (${config.architectures?.[0] ?? 'BertModel'}) exported by @bertkit/onnx, head ${head}`,
    graph: {
      name: 'bert',
      node: g.nodes,
      initializer: g.initializers,
      input: names.map((n) => valueInfo(n, DataType.INT64, dims)),
      output: outputs.map((o) => valueInfo(o.name, DataType.FLOAT, o.dims)),
    },
  };
  return {
    bytes: encodeModel(model),
    head,
    inputs: names.map((name) => ({ name, dims })),
    outputs: outputs.map((o) => ({ name: o.name, dims: o.dims })),
  };
}
