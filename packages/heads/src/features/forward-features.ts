// One batched forward pass of the frozen encoder that returns the selected layer features of each window as
// plain Float32Arrays (nothing stays on the backend). Shared by extract_features-style extraction and by the
// word features of the frozen-feature tagger (paper §5.3).
import * as tf from '@tensorflow/tfjs-core';
import type { BertModel } from '@bertkit/encoder';
import { selectLayers, selectionWidth, validateSelection, type LayerSelection } from './layer-selection';

export interface FeatureWindow {
  ids: number[];
  typeIds: number[];
}

/** Per window, per selection: row-major [T_window, width] values. */
export type WindowFeatures = Float32Array[][];

/** Runs the model (inference mode, no dropout) on windows in batches of `batchSize`, padded per batch. */
export async function forwardFeatures(model: BertModel, windows: readonly FeatureWindow[], selections: readonly LayerSelection[], batchSize = 8, padId = 0): Promise<WindowFeatures> {
  const numStates = model.config.numHiddenLayers + 1;
  for (const s of selections) validateSelection(s, numStates);
  const h = model.config.hiddenSize;
  const out: WindowFeatures = [];
  for (let b0 = 0; b0 < windows.length; b0 += batchSize) {
    const batch = windows.slice(b0, b0 + batchSize);
    const T = Math.max(...batch.map((w) => w.ids.length));
    const pad = (row: number[], v: number) => [...row, ...new Array<number>(T - row.length).fill(v)];
    const arrays = tf.tidy(() => {
      const inputIds = tf.tensor2d(batch.map((w) => pad(w.ids, padId)), [batch.length, T], 'int32'); // [B, T]
      const tokenTypeIds = tf.tensor2d(batch.map((w) => pad(w.typeIds, 0)), [batch.length, T], 'int32'); // [B, T]
      const attentionMask = tf.tensor2d(batch.map((w) => pad(w.ids.map(() => 1), 0)), [batch.length, T], 'int32'); // [B, T]
      const res = model.forward({ inputIds, tokenTypeIds, attentionMask }, { outputHiddenStates: true, training: false });
      const hs = res.hiddenStates as tf.Tensor3D[]; // L + 1 × [B, T, H]
      return selections.map((s) => selectLayers(hs, s)); // each [B, T, D]
    });
    let data: Float32Array[];
    try {
      data = (await Promise.all(arrays.map((a) => a.data()))) as Float32Array[];
    } finally {
      arrays.forEach((a) => a.dispose());
    }
    batch.forEach((w, i) => {
      out.push(
        selections.map((s, k) => {
          const d = selectionWidth(s, h);
          return data[k].slice(i * T * d, (i * T + w.ids.length) * d);
        }),
      );
    });
  }
  return out;
}
