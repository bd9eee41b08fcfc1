// One pre-training micro-step of HF BertForPreTraining / BertForMaskedLM as an ONNX graph: the forward pass, the
// loss (MLM mean cross-entropy at the given positions + NSP mean cross-entropy over the labelled rows), metrics,
// and the gradient of the loss with respect to every parameter, output as `grad.<name>`. The parameters are
// inputs, so one ONNX Runtime session trains for the whole run. The decoder is tied to the word embeddings (its
// gradient is the sum of both uses, as in torch).
import type { BertConfig } from '@bertkit/encoder';
import { DataType } from '../onnx-proto.js';
import { finishTrainGraph, startTrainGraph, type TrainGraph } from './train-graph.js';
import { poolerTrain } from './pooler-train.js';
import { addGrad, dropoutInputs, type DropoutSites } from './encoder-train.js';

export type TrainObjective = 'mlm' | 'mlm+nsp';
export type { TrainGraph } from './train-graph.js';

export interface PretrainingGraphOptions {
  objective: TrainObjective;
  /** Shapes of the parameters the caller holds (HF names, tfjs layout: Dense kernels [in, out]). */
  shapes: ReadonlyMap<string, readonly number[]>;
  /** Dropout masks as inputs (default: where the config's rates are > 0). */
  dropout?: DropoutSites;
}

const N = 'predictions';
const M = 'nsp_rows';

/** Builds the graph; throws OnnxExportError naming a parameter that is missing or misshapen. */
export function buildPretrainingGraph(c: BertConfig, options: PretrainingGraphOptions): TrainGraph {
  const sites = options.dropout ?? { hidden: c.hiddenDropoutProb > 0, attention: c.attentionProbsDropoutProb > 0 };
  const { g, ops, io, enc, grads } = startTrainGraph(c, options.shapes, sites);
  const h = c.hiddenSize;

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
    const pooler = poolerTrain(ops, io, enc, h);
    const nw = io.param('cls.seq_relationship.weight', [h, 2]);
    const nspLogits = ops.linear(pooler.pooled, nw, io.param('cls.seq_relationship.bias', [2])); // [B, 2]
    const nsp = ops.crossEntropy(g.op('Gather', [nspLogits, rows], { axis: { int: 0 } }), nspLabels);
    metrics.push(['nsp_loss', nsp.loss], ['nsp_accuracy', nsp.accuracy]);
    loss = ops.add(loss, nsp.loss);
    const cls = ops.linearBackward(pooler.pooled, nw, ops.scatterRows(nspLogits, rows, nsp.dLogits));
    addGrad(grads, 'cls.seq_relationship.weight', cls.dW);
    addGrad(grads, 'cls.seq_relationship.bias', cls.db);
    dSequence.push(pooler.backward(cls.dx, grads));
  }

  enc.backward(ops.addAll(dSequence), grads);
  return finishTrainGraph({
    g, ops, io, shapes: options.shapes, grads, metrics: [['loss', loss], ...metrics], dropout: dropoutInputs(c.numHiddenLayers, sites),
    name: 'bert_pretraining_step', docString: `BERT pre-training step (${options.objective}): loss and gradients, built by @bertkit/onnx`,
  });
}
