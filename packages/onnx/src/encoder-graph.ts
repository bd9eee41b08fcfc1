// The BERT encoder (HF `BertModel`) as ONNX nodes: embeddings → L layers → optional pooler, following
// transformers/models/bert/modeling_bert.py op for op so that ONNX Runtime reproduces HF's float32 forward.
// Default: standard ai.onnx ops only (opset 17 for LayerNormalization), loadable by any ONNX runtime.
// `fused`: each layer's attention, residual + LayerNorm and bias + GELU become ORT contrib ops
// (com.microsoft Attention, SkipLayerNormalization, BiasGelu), which only ONNX Runtime runs.
import type { BertConfig, HiddenAct } from '@bertkit/encoder';
import type { GraphBuilder } from './graph-builder.js';
import { DataType } from './onnx-proto.js';
import type { Weights } from './weights.js';

/** torch.finfo(torch.float32).min: HF's additive mask value (`get_extended_attention_mask`). */
export const FLOAT32_MIN = -3.4028234663852886e38;

export interface EncoderInputs {
  inputIds: string; // int64 [B, T]
  attentionMask: string; // int64 [B, T]
  tokenTypeIds: string; // int64 [B, T]
}

export interface EncoderValues {
  sequence: string; // [B, T, H]
  pooled: string | null; // [B, H]
}

/** x · W + b for an nn.Linear stored [out, in] under `${prefix}.weight` / `${prefix}.bias`. */
export function linear(g: GraphBuilder, w: Weights, x: string, prefix: string, out: number, inp: number): string {
  const weight = w.linear(`${prefix}.weight`, out, inp); // [in, out]
  const kernel = g.float(`${prefix}.weight`, weight.data, weight.shape);
  const bias = g.float(`${prefix}.bias`, w.get(`${prefix}.bias`, [out]).data, [out]);
  return g.op('Add', [g.op('MatMul', [x, kernel]), bias]);
}

export function layerNorm(g: GraphBuilder, w: Weights, x: string, prefix: string, h: number, eps: number): string {
  const gamma = g.float(`${prefix}.weight`, w.get(`${prefix}.weight`, [h]).data, [h]);
  const beta = g.float(`${prefix}.bias`, w.get(`${prefix}.bias`, [h]).data, [h]);
  return g.op('LayerNormalization', [x, gamma, beta], { axis: { int: -1 }, epsilon: eps });
}

/** HF ACT2FN: `gelu` = 0.5·x·(1 + erf(x/√2)) exactly; `gelu_new` / `gelu_pytorch_tanh` = the tanh form. */
export function activation(g: GraphBuilder, x: string, act: HiddenAct): string {
  if (act === 'relu') return g.op('Relu', [x]);
  let inner: string;
  if (act === 'gelu') {
    inner = g.op('Erf', [g.op('Div', [x, g.scalar(Math.SQRT2, 'sqrt2')])]);
  } else {
    const cube = g.op('Mul', [g.op('Mul', [x, x]), x]);
    const poly = g.op('Add', [x, g.op('Mul', [cube, g.scalar(0.044715, 'gelu_c')])]);
    inner = g.op('Tanh', [g.op('Mul', [poly, g.scalar(Math.sqrt(2 / Math.PI), 'sqrt_2_over_pi')])]);
  }
  const half = g.op('Mul', [x, g.scalar(0.5, 'half')]);
  return g.op('Mul', [half, g.op('Add', [inner, g.scalar(1, 'one')])]);
}

function embeddings(g: GraphBuilder, c: BertConfig, w: Weights, x: EncoderInputs): string {
  const h = c.hiddenSize;
  const table = (name: string, rows: number) => g.float(name, w.get(name, [rows, h]).data, [rows, h]);
  const words = g.op('Gather', [table('embeddings.word_embeddings.weight', c.vocabSize), x.inputIds]); // [B, T, H]
  const types = g.op('Gather', [table('embeddings.token_type_embeddings.weight', c.typeVocabSize), x.tokenTypeIds]); // [B, T, H]
  // position_ids = arange(T): the first T rows of the position table.
  const t = g.op('Shape', [x.inputIds], { start: { int: -1 } }); // [1] = T
  const posTable = table('embeddings.position_embeddings.weight', c.maxPositionEmbeddings);
  const positions = g.op('Slice', [posTable, g.int64([0]), t, g.int64([0])]); // [T, H]
  const sum = g.op('Add', [g.op('Add', [words, types]), positions]); // [B, T, H]
  return layerNorm(g, w, sum, 'embeddings.LayerNorm', h, c.layerNormEps);
}

/** (1 − mask) · finfo(float32).min, broadcast over heads and queries. */
function additiveMask(g: GraphBuilder, mask: string): string {
  const keep = g.op('Unsqueeze', [g.op('Cast', [mask], { to: { int: DataType.FLOAT } }), g.int64([1, 2])]); // [B, 1, 1, T]
  return g.op('Mul', [g.op('Sub', [g.scalar(1, 'one'), keep]), g.scalar(FLOAT32_MIN, 'float32_min')], {}, { name: 'extended_attention_mask' });
}

function selfAttention(g: GraphBuilder, c: BertConfig, w: Weights, x: string, mask: string, p: string): string {
  const h = c.hiddenSize;
  const a = c.numAttentionHeads;
  const d = h / a;
  const heads = (name: string, perm: number[]) =>
    g.op('Transpose', [g.op('Reshape', [linear(g, w, x, `${p}.self.${name}`, h, h), g.int64([0, 0, a, d])])], { perm: { ints: perm } });
  const q = heads('query', [0, 2, 1, 3]); // [B, A, T, d]
  const kT = heads('key', [0, 2, 3, 1]); // [B, A, d, T]
  const v = heads('value', [0, 2, 1, 3]); // [B, A, T, d]
  const scores = g.op('Div', [g.op('MatMul', [q, kT]), g.scalar(Math.sqrt(d), 'sqrt_head_size')]); // [B, A, T, T]
  const probs = g.op('Softmax', [g.op('Add', [scores, mask])], { axis: { int: -1 } }); // [B, A, T, T]
  const ctx = g.op('Transpose', [g.op('MatMul', [probs, v])], { perm: { ints: [0, 2, 1, 3] } }); // [B, T, A, d]
  return g.op('Reshape', [ctx, g.int64([0, 0, h])]); // [B, T, H]
}

/** Dense → dropout (identity) → LayerNorm(· + residual): BertSelfOutput and BertOutput. */
function residual(g: GraphBuilder, c: BertConfig, w: Weights, x: string, res: string, p: string, inp: number): string {
  const h = c.hiddenSize;
  return layerNorm(g, w, g.op('Add', [linear(g, w, x, `${p}.dense`, h, inp), res]), `${p}.LayerNorm`, h, c.layerNormEps);
}

function plainLayer(g: GraphBuilder, c: BertConfig, w: Weights, x: string, mask: string, p: string): string {
  const ctx = selfAttention(g, c, w, x, mask, `${p}.attention`); // [B, T, H]
  const att = residual(g, c, w, ctx, x, `${p}.attention.output`, c.hiddenSize); // [B, T, H]
  const inter = activation(g, linear(g, w, att, `${p}.intermediate.dense`, c.intermediateSize, c.hiddenSize), c.hiddenAct); // [B, T, I]
  return residual(g, c, w, inter, att, `${p}.output`, c.intermediateSize); // [B, T, H]
}

/** MatMul then com.microsoft SkipLayerNormalization: LayerNorm(x·W + bias + residual). */
function fusedResidual(g: GraphBuilder, c: BertConfig, w: Weights, x: string, res: string, p: string, inp: number): string {
  const h = c.hiddenSize;
  const kernel = w.linear(`${p}.dense.weight`, h, inp);
  const prod = g.op('MatMul', [x, g.float(`${p}.dense.weight`, kernel.data, kernel.shape)]);
  const f = (name: string) => g.float(name, w.get(name, [h]).data, [h]);
  const inputs = [prod, res, f(`${p}.LayerNorm.weight`), f(`${p}.LayerNorm.bias`), f(`${p}.dense.bias`)];
  return g.op('SkipLayerNormalization', inputs, { epsilon: c.layerNormEps }, { domain: 'com.microsoft' });
}

function fusedLayer(g: GraphBuilder, c: BertConfig, w: Weights, x: string, mask: string, p: string): string {
  const h = c.hiddenSize;
  // Q, K and V projections packed as one [H, 3H] kernel, columns [q | k | v] (the contrib op's layout).
  const parts = ['query', 'key', 'value'].map((n) => w.linear(`${p}.attention.self.${n}.weight`, h, h).data);
  const qkv = new Float32Array(h * 3 * h);
  for (let i = 0; i < h; i++) parts.forEach((k, j) => qkv.set(k.subarray(i * h, (i + 1) * h), i * 3 * h + j * h));
  const bias = new Float32Array(3 * h);
  ['query', 'key', 'value'].forEach((n, j) => bias.set(w.get(`${p}.attention.self.${n}.bias`, [h]).data, j * h));
  const kernel = g.float(`${p}.attention.self.qkv.weight`, qkv, [h, 3 * h]);
  const qkvBias = g.float(`${p}.attention.self.qkv.bias`, bias, [3 * h]);
  const ctx = g.op('Attention', [x, kernel, qkvBias, mask], { num_heads: { int: c.numAttentionHeads } }, { domain: 'com.microsoft' }); // [B, T, H]
  const att = fusedResidual(g, c, w, ctx, x, `${p}.attention.output`, h);
  let inter: string;
  const i = c.intermediateSize;
  if (c.hiddenAct === 'gelu') {
    const k = w.linear(`${p}.intermediate.dense.weight`, i, h);
    const prod = g.op('MatMul', [att, g.float(`${p}.intermediate.dense.weight`, k.data, k.shape)]);
    const b = g.float(`${p}.intermediate.dense.bias`, w.get(`${p}.intermediate.dense.bias`, [i]).data, [i]);
    inter = g.op('BiasGelu', [prod, b], {}, { domain: 'com.microsoft' }); // exact erf GELU
  } else {
    inter = activation(g, linear(g, w, att, `${p}.intermediate.dense`, i, h), c.hiddenAct);
  }
  return fusedResidual(g, c, w, inter, att, `${p}.output`, i);
}

export function buildEncoder(g: GraphBuilder, c: BertConfig, w: Weights, x: EncoderInputs, fused: boolean): EncoderValues {
  let hidden = embeddings(g, c, w, x); // [B, T, H]
  // The contrib Attention op takes the raw 0/1 mask (int32 [B, T]) and applies its own additive value.
  const mask = fused ? g.op('Cast', [x.attentionMask], { to: { int: DataType.INT32 } }) : additiveMask(g, x.attentionMask);
  for (let l = 0; l < c.numHiddenLayers; l++) {
    const p = `encoder.layer.${l}`;
    hidden = fused ? fusedLayer(g, c, w, hidden, mask, p) : plainLayer(g, c, w, hidden, mask, p);
  }
  const sequence = hidden;
  let pooled: string | null = null;
  if (w.has('pooler.dense.weight')) {
    const first = g.op('Gather', [sequence, g.int64([0], true)], { axis: { int: 1 } }); // [B, H]: the [CLS] token
    pooled = g.op('Tanh', [linear(g, w, first, 'pooler.dense', c.hiddenSize, c.hiddenSize)]); // [B, H]
  }
  return { sequence, pooled };
}
