// The common start and end of a training graph: the builder, the parameter inputs and the encoder's forward pass;
// then the loss and metrics as scalar outputs, one `grad.<name>` output per parameter read (the sum of its
// contributions), and the encoded model.
import type { BertConfig } from '@bertkit/encoder';
import { GraphBuilder } from '../graph-builder.js';
import { IR_VERSION, OPSET } from '../build-model.js';
import { encodeModel, type ModelProto } from '../onnx-proto.js';
import { GradOps } from './grad-ops.js';
import { GraphIo } from './graph-inputs.js';
import { encoderTrain, type DropoutSites, type EncoderTrain, type GradParts } from './encoder-train.js';

/** Where a dropout-mask input applies: its rate and shape follow from the site (see dropoutFeeds). */
export type DropoutSite = 'hidden' | 'attention' | 'classifier' | 'classifier-pooled';

export interface TrainGraph {
  bytes: Uint8Array;
  /** Parameter inputs, in graph order; each has a `grad.<name>` output. */
  params: string[];
  /**
   * Dropout-mask inputs in the order the tfjs forward pass draws their keys: `hidden` [B, T, H] at rate
   * hidden_dropout_prob, `attention` [B, A, T, T] at attention_probs_dropout_prob, `classifier` [B, T, H] and
   * `classifier-pooled` [B, H] at classifier_dropout (else hidden_dropout_prob).
   */
  dropout: Array<{ name: string; site: DropoutSite }>;
  /** Scalar outputs, `loss` first. */
  metrics: string[];
}

/** A training graph begun: builder, ops, parameter inputs checked against `shapes`, the encoder, no gradients yet. */
export function startTrainGraph(c: BertConfig, shapes: ReadonlyMap<string, readonly number[]>, sites: DropoutSites) {
  const g = new GraphBuilder();
  const ops = new GradOps(g);
  const io = new GraphIo(g, shapes);
  const enc: EncoderTrain = encoderTrain(ops, io, c, sites);
  const grads: GradParts = new Map();
  return { g, ops, io, enc, grads };
}

export interface FinishOptions {
  g: GraphBuilder;
  ops: GradOps;
  io: GraphIo;
  shapes: ReadonlyMap<string, readonly number[]>;
  grads: GradParts;
  /** [output name, value], `loss` first. */
  metrics: Array<[string, string]>;
  dropout: TrainGraph['dropout'];
  name: string;
  docString: string;
}

export function finishTrainGraph(o: FinishOptions): TrainGraph {
  for (const [name, value] of o.metrics) o.io.output(name, value, []);
  for (const name of o.io.params) {
    const parts = o.grads.get(name);
    if (parts === undefined) throw new Error(`${o.name}: parameter ${name} got no gradient (a bug in the graph)`);
    o.io.output(`grad.${name}`, o.ops.addAll(parts), o.shapes.get(name)!);
  }
  const model: ModelProto = {
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: OPSET }],
    producerName: 'bertkit',
    producerVersion: '0.1.0',
    docString: o.docString,
    graph: { name: o.name, node: o.g.nodes, initializer: o.g.initializers, input: o.io.inputs, output: o.io.outputs },
  };
  return { bytes: encodeModel(model), params: [...o.io.params], dropout: o.dropout, metrics: o.metrics.map(([name]) => name) };
}
