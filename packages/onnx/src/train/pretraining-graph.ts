// One pre-training micro-step of HF BertForPreTraining / BertForMaskedLM as an ONNX graph: the forward pass, the
// loss (MLM mean cross-entropy at the given positions + NSP mean cross-entropy over the labelled rows), metrics,
// and the gradient of the loss with respect to every parameter, output as `grad.<name>`. The parameters are
// inputs, so one ONNX Runtime session trains for the whole run. The decoder is tied to the word embeddings (its
// gradient is the sum of both uses, as in torch).
import type { BertConfig } from '@bertkit/encoder';
import { GraphBuilder } from '../graph-builder.js';
import { DataType, encodeModel, type ModelProto } from '../onnx-proto.js';
import { IR_VERSION, OPSET } from '../build-model.js';
import { GradOps } from './grad-ops.js';
import { GraphIo } from './graph-inputs.js';
import { addGrad, dropoutInputs, encoderTrain, type DropoutSites, type GradParts } from './encoder-train.js';

export type TrainObjective = 'mlm' | 'mlm+nsp';

export interface PretrainingGraphOptions {
  objective: TrainObjective;
  /** Shapes of the parameters the caller holds (HF names, tfjs layout: Dense kernels [in, out]). */
  shapes: ReadonlyMap<string, readonly number[]>;
  /** Dropout masks as inputs (default: where the config's rates are > 0). */
  dropout?: DropoutSites;
}

export interface TrainGraph {
  bytes: Uint8Array;
  /** Parameter inputs, in graph order; each has a `grad.<name>` output. */
  params: string[];
  /** Dropout-mask inputs in the order the tfjs forward pass draws their keys; the site sets the rate (hidden / attention). */
  dropout: Array<{ name: string; site: 'hidden' | 'attention' }>;
  /** Scalar outputs: loss, mlm_loss, mlm_accuracy (and nsp_loss, nsp_accuracy). */
  metrics: string[];
}

const N = 'predictions';
const M = 'nsp_rows';

/** Builds the graph; throws OnnxExportError naming a parameter that is missing or misshapen. */
export function buildPretrainingGraph(c: BertConfig, options: PretrainingGraphOptions): TrainGraph {
  const sites = options.dropout ?? { hidden: c.hiddenDropoutProb > 0, attention: c.attentionProbsDropoutProb > 0 };
  const g = new GraphBuilder();
  const ops = new GradOps(g);
  const io = new GraphIo(g, options.shapes);
  const h = c.hiddenSize;
  const enc = encoderTrain(ops, io, c, sites);
  const grads: GradParts = new Map();

  // MLM head at the flat positions b·T + t: dense, activation, LayerNorm, tied decoder + bias
  const positions = io.input('mlm_positions', DataType.INT64, [N]);
  const labels = io.input('mlm_labels', DataType.INT64, [N]);
  const picked = g.op('Gather', [enc.sequence, positions], { axis: { int: 0 } }); // [N, H]
  const tp = 'cls.predictions.transform';
  const tw = io.param(`${tp}.dense.weight`, [h, h]);
  const z = ops.linear(picked, tw, io.param(`${tp}.dense.bias`, [h])); // [N, H]
  const ln = ops.layerNorm(ops.activation(z, c.hiddenAct), io.param(`${tp}.LayerNorm.weight`, [h]), io.param(`${tp}.LayerNorm.bias`, [h]), c.layerNormEps);
  const word = 'bert.embeddings.word_embeddings.weight';
  const logits = g.op('Gemm', [ln.y, word, io.param('cls.predictions.bias', [c.vocabSize])], { transB: { int: 1 } }); // [N, V]
  const mlm = ops.crossEntropy(logits, labels);
  const metrics: Array<[string, string]> = [['mlm_loss', mlm.loss], ['mlm_accuracy', mlm.accuracy]];
  let loss = mlm.loss;

  // backward through the MLM head
  addGrad(grads, word, g.op('Gemm', [mlm.dLogits, ln.y], { transA: { int: 1 } })); // [V, H]
  addGrad(grads, 'cls.predictions.bias', ops.sum(mlm.dLogits, [0], false));
  const lnGrads = ops.layerNormBackward(ln.saved, g.op('MatMul', [mlm.dLogits, word])); // [N, H]
  addGrad(grads, `${tp}.LayerNorm.weight`, lnGrads.dGamma);
  addGrad(grads, `${tp}.LayerNorm.bias`, lnGrads.dBeta);
  const dense = ops.linearBackward(picked, tw, ops.activationBackward(z, c.hiddenAct, lnGrads.dx));
  addGrad(grads, `${tp}.dense.weight`, dense.dW);
  addGrad(grads, `${tp}.dense.bias`, dense.db);
  const dSequence = [ops.scatterRows(enc.sequence, positions, dense.dx)]; // [B·T, H]

  if (options.objective === 'mlm+nsp') {
    // pooler (tanh of the [CLS] row's dense) and the 2-way classifier over the rows with a label
    const rows = io.input('nsp_rows', DataType.INT64, [M]);
    const nspLabels = io.input('nsp_labels', DataType.INT64, [M]);
    const seq3 = g.op('Reshape', [enc.sequence, g.op('Concat', [enc.bt, g.int64([h])], { axis: { int: 0 } })]); // [B, T, H]
    const first = g.op('Gather', [seq3, g.int64([0], true)], { axis: { int: 1 } }); // [B, H]
    const pw = io.param('bert.pooler.dense.weight', [h, h]);
    const pooled = g.op('Tanh', [ops.linear(first, pw, io.param('bert.pooler.dense.bias', [h]))]); // [B, H]
    const nw = io.param('cls.seq_relationship.weight', [h, 2]);
    const nspLogits = ops.linear(pooled, nw, io.param('cls.seq_relationship.bias', [2])); // [B, 2]
    const nsp = ops.crossEntropy(g.op('Gather', [nspLogits, rows], { axis: { int: 0 } }), nspLabels);
    metrics.push(['nsp_loss', nsp.loss], ['nsp_accuracy', nsp.accuracy]);
    loss = ops.add(loss, nsp.loss);
    const cls = ops.linearBackward(pooled, nw, ops.scatterRows(nspLogits, rows, nsp.dLogits));
    addGrad(grads, 'cls.seq_relationship.weight', cls.dW);
    addGrad(grads, 'cls.seq_relationship.bias', cls.db);
    const dPre = ops.mul(cls.dx, g.op('Sub', [g.scalar(1, 'one'), ops.mul(pooled, pooled)])); // tanh' = 1 − tanh²
    const pool = ops.linearBackward(first, pw, dPre);
    addGrad(grads, 'bert.pooler.dense.weight', pool.dW);
    addGrad(grads, 'bert.pooler.dense.bias', pool.db);
    // the [CLS] row's gradient placed at t = 0 of every sequence: pad [B, 1, H] to [B, T, H]
    const t = g.op('Slice', [enc.bt, g.int64([1]), g.int64([2])]); // [1] = T
    const pads = g.op('Concat', [g.int64([0, 0, 0, 0]), g.op('Sub', [t, g.int64([1])]), g.int64([0])], { axis: { int: 0 } });
    const dFirst = g.op('Pad', [g.op('Unsqueeze', [pool.dx, g.int64([1])]), pads]); // [B, T, H]
    dSequence.push(g.op('Reshape', [dFirst, g.int64([-1, h])]));
  }

  enc.backward(ops.addAll(dSequence), grads);
  metrics.unshift(['loss', loss]);
  for (const [name, value] of metrics) io.output(name, value, []);
  for (const name of io.params) {
    const parts = grads.get(name);
    if (parts === undefined) throw new Error(`buildPretrainingGraph: parameter ${name} got no gradient (a bug in the graph)`);
    io.output(`grad.${name}`, ops.addAll(parts), options.shapes.get(name)!);
  }
  const model: ModelProto = {
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: OPSET }],
    producerName: 'bertkit',
    producerVersion: '0.1.0',
    docString: `BERT pre-training step (${options.objective}): loss and gradients, built by @bertkit/onnx`,
    graph: { name: 'bert_pretraining_step', node: g.nodes, initializer: g.initializers, input: io.inputs, output: io.outputs },
  };
  return {
    bytes: encodeModel(model),
    params: [...io.params],
    dropout: dropoutInputs(c.numHiddenLayers, sites),
    metrics: metrics.map(([name]) => name),
  };
}
