// Attention: the softmax attention map of any layer and head (the paper's model has L × A of them,
// section 3). Rows are queries, columns keys; the [CLS] row is outlined; hovering a cell links both tokens.
import * as tf from '@tensorflow/tfjs-core';
import { h, mount, busy } from '../ui';
import { card, withModel } from './common';
import type { View } from './index';

/** Tokens drawn at most (a T × T grid of cells stays readable), capped by the model's positions. */
const MAX_ATTENTION_TOKENS = 64;

function heatmap(tokens: string[], probs: number[][]): HTMLElement {
  const n = tokens.length;
  const top = Math.max(...probs.flat(), 1e-9); // colour relative to the strongest link of this map
  const grid = h('div', { class: 'attn-grid', style: `grid-template-columns: 7em repeat(${n}, minmax(10px, 30px))` });
  grid.append(h('span', {}));
  tokens.forEach((t, j) => grid.append(h('span', { class: 'attn-col', 'data-col': j }, t)));
  probs.forEach((row, i) => {
    grid.append(h('span', { class: `attn-row${i === 0 ? ' cls' : ''}`, 'data-row': i }, tokens[i]));
    row.forEach((p, j) =>
      grid.append(h('span', { class: `cell${i === 0 ? ' cls' : ''}`, 'data-r': i, 'data-c': j, title: `${tokens[i]} → ${tokens[j]}: ${p.toFixed(3)}`, style: `background: rgba(79, 70, 229, ${(p / top).toFixed(3)})` })));
  });
  grid.addEventListener('mouseover', (e) => {
    const c = (e.target as HTMLElement).closest<HTMLElement>('.cell');
    for (const el of grid.querySelectorAll('.hot')) el.classList.remove('hot');
    if (!c) return;
    grid.querySelector(`[data-row="${c.dataset.r}"]`)?.classList.add('hot');
    grid.querySelector(`[data-col="${c.dataset.c}"]`)?.classList.add('hot');
  });
  return grid;
}

export const attentionView: View = {
  id: 'attention',
  title: 'Attention',
  render: (ctx) =>
    withModel(ctx, (m) => {
      const c = m.config;
      const text = h('textarea', { id: 'att-text', rows: 2 }, 'the cat sat on the mat because it was tired .');
      const layer = h('select', { id: 'att-layer' }, ...Array.from({ length: c.numHiddenLayers }, (_, i) => h('option', { value: i }, `layer ${i + 1}`)));
      const head = h('select', { id: 'att-head' }, ...Array.from({ length: c.numAttentionHeads }, (_, i) => h('option', { value: i }, `head ${i + 1}`)), h('option', { value: -1 }, 'mean of heads'));
      const out = h('div', { id: 'att-out' });
      let maps: number[][][][] = []; // [L][A][T][T]
      let tokens: string[] = [];
      const draw = () => {
        if (maps.length === 0) return;
        const l = maps[Number(layer.value)];
        const a = Number(head.value);
        const p = a >= 0 ? l[a] : l[0].map((row, i) => row.map((_, j) => l.reduce((s, hm) => s + hm[i][j], 0) / l.length));
        mount(out, heatmap(tokens, p));
      };
      layer.addEventListener('change', draw);
      head.addEventListener('change', draw);
      const go = h('button', { id: 'att-run', class: 'primary' }, 'Show attention');
      go.addEventListener('click', () =>
        void busy(go, out, async () => {
          const enc = m.tokenizer.encode(text.value, null, { maxLength: Math.min(MAX_ATTENTION_TOKENS, c.maxPositionEmbeddings), truncation: true });
          tokens = enc.tokens;
          const atts = tf.tidy(() => {
            const o = m.bert.forward({ inputIds: tf.tensor2d([enc.ids], undefined, 'int32'), tokenTypeIds: tf.tensor2d([enc.typeIds], undefined, 'int32') }, { outputAttentions: true });
            return tf.stack(o.attentions!.map((x) => tf.squeeze(x, [0]))); // [L, A, T, T]
          });
          maps = (await atts.array()) as number[][][][];
          atts.dispose();
          draw();
        }));
      queueMicrotask(() => go.click());
      return card('Self-attention, per layer and head', h('div', { class: 'inputs' }, text), h('div', { class: 'row' }, layer, head, go), out,
        h('p', { class: 'meta' }, 'Rows (queries) attend to columns (keys); colour is relative to the strongest weight in this map, hover a cell for its value. The [CLS] row (outlined) is what the pooler and classification heads read.'));
    }),
};
