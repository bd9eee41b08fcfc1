// Embeddings: cosine similarity of sentence vectors (as @bertkit/heads embedTexts: mean of the last layer over the
// tokens, or the [CLS] vector; texts truncated to the model's positions), as a colour matrix.
import { embedTexts, type Pooling } from '@bertkit/heads';
import { h, mount, busy } from '../ui';
import { card, withModel } from './common';
import type { View } from './index';

const SAMPLE = ['the jury said the election was conducted well .', 'the election was praised by the jury .', 'he played the piano all night .', 'she sang a song at the party .'];

export const embeddingsView: View = {
  id: 'embeddings',
  title: 'Embeddings',
  render: (ctx) =>
    withModel(ctx, (m) => {
      const text = h('textarea', { id: 'emb-text', rows: 5 }, SAMPLE.join('\n'));
      const pooling = h('select', { id: 'emb-pooling' }, h('option', { value: 'mean' }, 'mean pooling'), h('option', { value: 'cls' }, '[CLS] vector'));
      const out = h('div', { id: 'emb-out' });
      const go = h('button', { id: 'emb-run', class: 'primary' }, 'Compare');
      go.addEventListener('click', () =>
        void busy(go, out, async () => {
          const lines = text.value.split('\n').map((s) => s.trim()).filter((s) => s);
          const v = await embedTexts(m.bert, m.tokenizer, lines, { pooling: pooling.value as Pooling, normalize: true });
          const sim = v.map((a) => v.map((b) => a.reduce((s, x, i) => s + x * b[i], 0)));
          // colour by rank among the off-diagonal pairs: a small model's similarities crowd into a narrow band
          const off = sim.flatMap((row, i) => row.filter((_, j) => j !== i));
          const lo = Math.min(...off);
          const hi = Math.max(...off);
          const shade = (s: number) => Math.min(1, Math.max(0.08, (s - lo) / (hi - lo || 1)));
          const table = h('table', { class: 'sim' },
            h('tr', {}, h('th', {}), ...lines.map((_, j) => h('th', {}, `#${j + 1}`))),
            ...sim.map((row, i) => h('tr', {}, h('th', { class: 'sent', title: lines[i] }, `#${i + 1} ${lines[i]}`),
              ...row.map((s) => h('td', { 'data-sim': s.toFixed(4), style: `background: rgba(13, 148, 136, ${shade(s).toFixed(3)}); color: ${shade(s) > 0.55 ? 'white' : 'inherit'}` }, s.toFixed(2))))));
          mount(out, table);
        }));
      queueMicrotask(() => go.click());
      return card('Sentence similarity', h('p', { class: 'meta' }, 'One sentence per line. Cosine similarity; colour scaled between the least and most similar pair.'), h('div', { class: 'inputs' }, text), h('div', { class: 'row' }, pooling, go), out);
    }),
};
