// Which encoder layers become features (paper §5.3, Table 7: embeddings, last hidden, second-to-last hidden,
// sum or concatenation of the last four hidden layers, weighted sum). Indices address `hiddenStates` of
// BertModel.forward as google-research/bert extract_features.py `--layers` does: -1 is the last layer, -2 the one
// before; 0 is the embedding output and i > 0 the output of layer i.
import * as tf from '@tensorflow/tfjs-core';

/** A bad layer specification: the message names the field, the expected and the actual value. */
export class FeatureConfigError extends Error {
  override name = 'FeatureConfigError';
  constructor(field: string, expected: string, actual: string) {
    super(`${field}: expected ${expected}, got ${actual}`);
  }
}

export type LayerSelection =
  | { kind: 'index'; index: number }
  | { kind: 'sum'; indices: number[] }
  | { kind: 'concat'; indices: number[] }
  | { kind: 'weighted'; indices: number[]; weights: number[] };

const LAST_FOUR = [-1, -2, -3, -4];

function parseIndex(s: string, field: string): number {
  if (!/^-?\d+$/.test(s.trim())) throw new FeatureConfigError(field, 'an integer layer index (e.g. -1)', JSON.stringify(s));
  return Number(s.trim());
}

/**
 * Parses one selection: `-1`, `3`, `sum-last-4`, `concat-last-4`, `sum-all`, `sum:-1,-2`, `concat:-1,-2`,
 * `weighted:-1=0.5,-2=0.25,…`, or a bare list `-1,-2` (= concat, the order given).
 */
export function parseLayerSelection(spec: string): LayerSelection {
  const s = spec.trim();
  if (s === 'sum-last-4') return { kind: 'sum', indices: LAST_FOUR };
  if (s === 'concat-last-4') return { kind: 'concat', indices: LAST_FOUR };
  if (s === 'sum-all') return { kind: 'sum', indices: [] }; // resolved to layers 1..L by resolveIndices
  const m = /^(sum|concat|weighted):(.+)$/.exec(s);
  if (m) {
    const items = m[2].split(',');
    if (m[1] !== 'weighted') return { kind: m[1] as 'sum' | 'concat', indices: items.map((x) => parseIndex(x, 'layers')) };
    const indices: number[] = [];
    const weights: number[] = [];
    for (const it of items) {
      const [i, w] = it.split('=');
      const wv = Number(w);
      if (w === undefined || !Number.isFinite(wv)) throw new FeatureConfigError('layers weighted', 'index=weight pairs (e.g. -1=0.5)', JSON.stringify(it));
      indices.push(parseIndex(i, 'layers weighted'));
      weights.push(wv);
    }
    return { kind: 'weighted', indices, weights };
  }
  if (s.includes(',')) return { kind: 'concat', indices: s.split(',').map((x) => parseIndex(x, 'layers')) };
  return { kind: 'index', index: parseIndex(s, 'layers') };
}

/** Parses extract_features.py's `--layers -1,-2,-3,-4` into one selection per index (each output separately);
 * named combinations (`sum-last-4`, …) are accepted as items too, separated by `;`. */
export function parseLayerList(spec: string): LayerSelection[] {
  if (spec.includes(';') || spec.includes(':') || /[a-z]/.test(spec)) return spec.split(';').map(parseLayerSelection);
  return spec.split(',').map((x) => ({ kind: 'index', index: parseIndex(x, 'layers') }));
}

/** The name a selection carries in JSONL output: the integer for one layer, else a readable string. */
export function selectionName(sel: LayerSelection): number | string {
  switch (sel.kind) {
    case 'index':
      return sel.index;
    case 'weighted':
      return `weighted:${sel.indices.map((i, k) => `${i}=${sel.weights[k]}`).join(',')}`;
    default:
      return sel.indices.length === 0 ? 'sum-all' : `${sel.kind}:${sel.indices.join(',')}`;
  }
}

/** Position in `hiddenStates` (length L + 1) of a layer index; throws when out of range. */
export function resolveIndex(index: number, numStates: number): number {
  const k = index < 0 ? numStates + index : index;
  if (!Number.isInteger(index) || k < 0 || k >= numStates) {
    throw new FeatureConfigError('layer index', `an integer in [${-numStates}, ${numStates - 1}] (${numStates - 1} layers + embeddings)`, `${index}`);
  }
  return k;
}

function indicesOf(sel: Exclude<LayerSelection, { kind: 'index' }>, numStates: number): number[] {
  if (sel.indices.length === 0) {
    if (sel.kind === 'sum') return Array.from({ length: numStates - 1 }, (_, i) => i + 1); // sum-all: every layer, no embeddings
    throw new FeatureConfigError('layers', 'at least one index', 'none');
  }
  return sel.indices.map((i) => resolveIndex(i, numStates));
}

/** Feature width of a selection for a model of hidden size H. */
export function selectionWidth(sel: LayerSelection, hiddenSize: number): number {
  return sel.kind === 'concat' ? sel.indices.length * hiddenSize : hiddenSize;
}

/** Checks a selection against a model with `numStates` = L + 1 hidden states (throws FeatureConfigError). */
export function validateSelection(sel: LayerSelection, numStates: number): void {
  if (sel.kind === 'index') resolveIndex(sel.index, numStates);
  else {
    indicesOf(sel, numStates);
    if (sel.kind === 'weighted' && sel.weights.length !== sel.indices.length) {
      throw new FeatureConfigError('layers weighted', `${sel.indices.length} weights`, `${sel.weights.length}`);
    }
  }
}

/**
 * Combines hidden states into one feature tensor.
 * @param hiddenStates L + 1 × [B, T, H]
 * @returns [B, T, H] ([B, T, n·H] for concat)
 */
export function selectLayers(hiddenStates: readonly tf.Tensor3D[], sel: LayerSelection): tf.Tensor3D {
  return tf.tidy((): tf.Tensor3D => {
    const n = hiddenStates.length;
    if (sel.kind === 'index') return tf.clone(hiddenStates[resolveIndex(sel.index, n)]); // [B, T, H]
    validateSelection(sel, n);
    const states = indicesOf(sel, n).map((k) => hiddenStates[k]);
    if (sel.kind === 'concat') return tf.concat(states, 2); // [B, T, n·H]
    if (sel.kind === 'sum') return tf.addN(states); // [B, T, H]
    return tf.addN(states.map((h, i) => tf.mul(h, tf.scalar(sel.weights[i])) as tf.Tensor3D)); // [B, T, H]
  });
}
