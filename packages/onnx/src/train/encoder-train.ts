// The BERT encoder (HF BertModel: embeddings, L post-LN layers) for training, as ONNX nodes: the forward pass
// keeps what its backward pass needs, and `backward` turns the gradient of the sequence output into gradients of
// every encoder parameter. Dropout multiplies by mask inputs (0 or 1/(1 − p), drawn by the caller with
// @bertkit/backend's counter-based hash, so the step drops the same elements as the tfjs backends).
import type { BertConfig } from '@bertkit/encoder';
import { FLOAT32_MIN } from '../encoder-graph.js';
import { DataType } from '../onnx-proto.js';
import type { GradOps, LayerNormSaved } from './grad-ops.js';
import type { GraphIo } from './graph-inputs.js';
import type { DropoutSite } from './train-graph.js';

/** Where dropout masks are inputs: the hidden-state sites (embeddings, both sub-layer outputs) and attention. */
export interface DropoutSites {
  hidden: boolean;
  attention: boolean;
}

/** The names of the dropout-mask inputs of a layer-count, in the order the tfjs forward pass draws their keys. */
export function dropoutInputs(layers: number, sites: DropoutSites): Array<{ name: string; site: DropoutSite }> {
  const out: Array<{ name: string; site: DropoutSite }> = [];
  if (sites.hidden) out.push({ name: 'dropout.embeddings', site: 'hidden' });
  for (let l = 0; l < layers; l++) {
    if (sites.attention) out.push({ name: `dropout.layer.${l}.attention`, site: 'attention' });
    if (sites.hidden) out.push({ name: `dropout.layer.${l}.attention_output`, site: 'hidden' });
    if (sites.hidden) out.push({ name: `dropout.layer.${l}.output`, site: 'hidden' });
  }
  return out;
}

/** Gradient contributions per parameter name (a tied parameter gets several; they are summed at the end). */
export type GradParts = Map<string, string[]>;

export function addGrad(parts: GradParts, name: string, value: string): void {
  parts.set(name, [...(parts.get(name) ?? []), value]);
}

export interface EncoderTrain {
  sequence: string; // [B·T, H]
  /** [B, T] shape values for reshapes: Shape(input_ids). */
  bt: string;
  backward(dSequence: string, grads: GradParts): void;
}

const B = 'batch_size';
const T = 'sequence_length';

export function encoderTrain(ops: GradOps, io: GraphIo, c: BertConfig, sites: DropoutSites): EncoderTrain {
  const g = ops.g;
  const h = c.hiddenSize;
  const a = c.numAttentionHeads;
  const d = h / a;
  const ids = io.input('input_ids', DataType.INT64, [B, T]);
  const types = io.input('token_type_ids', DataType.INT64, [B, T]);
  const mask = io.input('attention_mask', DataType.INT64, [B, T]);
  const bt = g.op('Shape', [ids]); // [2]
  const shapeBTH = g.op('Concat', [bt, g.int64([h])], { axis: { int: 0 } });
  const shapeBTAd = g.op('Concat', [bt, g.int64([a, d])], { axis: { int: 0 } });
  const dropMask = (name: string, on: boolean, dims: Array<string | number>, rows2d: boolean): string | null => {
    if (!on) return null;
    const m = io.input(name, DataType.FLOAT, dims);
    return rows2d ? g.op('Reshape', [m, g.int64([-1, h])]) : m;
  };
  const drop = (x: string, m: string | null) => (m === null ? x : ops.mul(x, m));

  // embeddings: word + type + position rows, LayerNorm, dropout
  const p = 'bert.embeddings';
  const word = io.param(`${p}.word_embeddings.weight`, [c.vocabSize, h]);
  const typeTable = io.param(`${p}.token_type_embeddings.weight`, [c.typeVocabSize, h]);
  const posTable = io.param(`${p}.position_embeddings.weight`, [c.maxPositionEmbeddings, h]);
  const t = g.op('Shape', [ids], { start: { int: 1 } }); // [1] = T
  const positions = g.op('Slice', [posTable, g.int64([0]), t, g.int64([0])]); // [T, H]
  const sum3 = ops.add(ops.add(g.op('Gather', [word, ids]), g.op('Gather', [typeTable, types])), positions); // [B, T, H]
  const embLn = ops.layerNorm(g.op('Reshape', [sum3, g.int64([-1, h])]), io.param(`${p}.LayerNorm.weight`, [h]), io.param(`${p}.LayerNorm.bias`, [h]), c.layerNormEps);
  const embDrop = dropMask('dropout.embeddings', sites.hidden, [B, T, h], true);
  let x = drop(embLn.y, embDrop); // [B·T, H]

  // HF's additive mask: (1 − mask)·finfo(float32).min, [B, 1, 1, T]
  const keep = g.op('Unsqueeze', [g.op('Cast', [mask], { to: { int: DataType.FLOAT } }), g.int64([1, 2])]);
  const additive = ops.mul(g.op('Sub', [g.scalar(1, 'one'), keep]), g.scalar(FLOAT32_MIN, 'float32_min'));
  const sqrtD = g.scalar(Math.sqrt(d), 'sqrt_head_size');

  interface Saved {
    prefix: string;
    x: string;
    q: string; // [B, A, T, d]
    k: string; // [B, A, T, d]
    v: string; // [B, A, T, d]
    probs: string; // [B, A, T, T] before dropout
    dropped: string; // after
    attnMask: string | null;
    ctx: string; // [B·T, H]
    attnOutMask: string | null;
    ln1: LayerNormSaved;
    att: string; // [B·T, H]
    z: string; // [B·T, I]
    inter: string; // [B·T, I]
    outMask: string | null;
    ln2: LayerNormSaved;
  }
  const layers: Saved[] = [];
  for (let l = 0; l < c.numHiddenLayers; l++) {
    const lp = `bert.encoder.layer.${l}`;
    const dense = (name: string, inp: number, out: number) => ({
      w: io.param(`${lp}.${name}.weight`, [inp, out]),
      b: io.param(`${lp}.${name}.bias`, [out]),
    });
    const proj = (name: string) => {
      const { w, b } = dense(`attention.self.${name}`, h, h);
      return ops.splitHeads(ops.linear(x, w, b), shapeBTAd); // [B, A, T, d]
    };
    const q = proj('query');
    const k = proj('key');
    const v = proj('value');
    const scores = ops.add(g.op('Div', [g.op('MatMul', [q, ops.transposeLast(k)]), sqrtD]), additive); // [B, A, T, T]
    const probs = g.op('Softmax', [scores], { axis: { int: -1 } });
    const attnMask = dropMask(`dropout.layer.${l}.attention`, sites.attention, [B, a, T, T], false);
    const dropped = drop(probs, attnMask);
    const ctx = ops.mergeHeads(g.op('MatMul', [dropped, v]), h); // [B·T, H]
    const ao = dense('attention.output.dense', h, h);
    const attnOutMask = dropMask(`dropout.layer.${l}.attention_output`, sites.hidden, [B, T, h], true);
    const ln1 = ops.layerNorm(ops.add(drop(ops.linear(ctx, ao.w, ao.b), attnOutMask), x), io.param(`${lp}.attention.output.LayerNorm.weight`, [h]), io.param(`${lp}.attention.output.LayerNorm.bias`, [h]), c.layerNormEps);
    const att = ln1.y;
    const id = dense('intermediate.dense', h, c.intermediateSize);
    const z = ops.linear(att, id.w, id.b); // [B·T, I]
    const inter = ops.activation(z, c.hiddenAct);
    const od = dense('output.dense', c.intermediateSize, h);
    const outMask = dropMask(`dropout.layer.${l}.output`, sites.hidden, [B, T, h], true);
    const ln2 = ops.layerNorm(ops.add(drop(ops.linear(inter, od.w, od.b), outMask), att), io.param(`${lp}.output.LayerNorm.weight`, [h]), io.param(`${lp}.output.LayerNorm.bias`, [h]), c.layerNormEps);
    layers.push({ prefix: lp, x, q, k, v, probs, dropped, attnMask, ctx, attnOutMask, ln1: ln1.saved, att, z, inter, outMask, ln2: ln2.saved });
    x = ln2.y;
  }

  return {
    sequence: x,
    bt,
    backward(dSequence, grads) {
      let dy = dSequence; // [B·T, H]
      for (let l = layers.length - 1; l >= 0; l--) {
        const s = layers[l];
        const lp = s.prefix;
        const put = (name: string, value: string) => addGrad(grads, `${lp}.${name}`, value);
        const linGrads = (name: string, xIn: string, dOut: string) => {
          const r = ops.linearBackward(xIn, `${lp}.${name}.weight`, dOut);
          put(`${name}.weight`, r.dW);
          put(`${name}.bias`, r.db);
          return r.dx;
        };
        // output sub-layer: LayerNorm(dropout(inter·W + b) + att)
        const ln2 = ops.layerNormBackward(s.ln2, dy);
        put('output.LayerNorm.weight', ln2.dGamma);
        put('output.LayerNorm.bias', ln2.dBeta);
        const dInter = linGrads('output.dense', s.inter, drop(ln2.dx, s.outMask));
        const dz = ops.activationBackward(s.z, c.hiddenAct, dInter);
        const dAtt = ops.add(linGrads('intermediate.dense', s.att, dz), ln2.dx);
        // attention sub-layer: LayerNorm(dropout(ctx·W + b) + x)
        const ln1 = ops.layerNormBackward(s.ln1, dAtt);
        put('attention.output.LayerNorm.weight', ln1.dGamma);
        put('attention.output.LayerNorm.bias', ln1.dBeta);
        const dCtx = linGrads('attention.output.dense', s.ctx, drop(ln1.dx, s.attnOutMask));
        const dC = ops.splitHeads(dCtx, shapeBTAd); // [B, A, T, d]
        const dV = g.op('MatMul', [ops.transposeLast(s.dropped), dC]); // [B, A, T, d]
        const dProbs = drop(g.op('MatMul', [dC, ops.transposeLast(s.v)]), s.attnMask); // [B, A, T, T]
        const dScores = g.op('Div', [ops.softmaxBackward(s.probs, dProbs), sqrtD]); // [B, A, T, T]
        const dQ = g.op('MatMul', [dScores, s.k]); // [B, A, T, d]
        const dK = g.op('MatMul', [ops.transposeLast(dScores), s.q]); // [B, A, T, d]
        const dxq = linGrads('attention.self.query', s.x, ops.mergeHeads(dQ, h));
        const dxk = linGrads('attention.self.key', s.x, ops.mergeHeads(dK, h));
        const dxv = linGrads('attention.self.value', s.x, ops.mergeHeads(dV, h));
        dy = ops.addAll([ln1.dx, dxq, dxk, dxv]);
      }
      // embeddings
      const ln = ops.layerNormBackward(embLn.saved, drop(dy, embDrop));
      addGrad(grads, `${p}.LayerNorm.weight`, ln.dGamma);
      addGrad(grads, `${p}.LayerNorm.bias`, ln.dBeta);
      const dSum = g.op('Reshape', [ln.dx, shapeBTH]); // [B, T, H]
      addGrad(grads, `${p}.word_embeddings.weight`, ops.scatterRows(word, ids, dSum));
      addGrad(grads, `${p}.token_type_embeddings.weight`, ops.scatterRows(typeTable, types, dSum));
      // rows 0..T-1 of the position table get Σ_b dSum; the rest zero
      const pads = g.op('Concat', [g.int64([0, 0]), g.op('Sub', [g.int64([c.maxPositionEmbeddings]), t]), g.int64([0])], { axis: { int: 0 } });
      addGrad(grads, `${p}.position_embeddings.weight`, g.op('Pad', [ops.sum(dSum, [0], false), pads]));
    },
  };
}
