// Fill-mask: the masked-LM head's top-k tokens with softmax probabilities at every [MASK]: @bertkit/heads'
// `fillMask`, the one fill-mask that `bert fill-mask` and the server call (HF pipeline names: `token` is the id,
// `token_str` its text).
import { fillMask, maskedLmOf } from '@bertkit/heads';
import { h, mount, busy } from '../ui';
import { card, withModel } from './common';
import type { View } from './index';

export const fillMaskView: View = {
  id: 'fill-mask',
  title: 'Fill-mask',
  render: (ctx) =>
    withModel(ctx, (m) => {
      if (!m.mlm) return card('Fill-mask', h('div', { class: 'hint' }, 'This checkpoint has no masked-LM head (cls.predictions.*): load a BertForPreTraining or BertForMaskedLM model.'));
      const mask = m.tokenizer.idToToken(m.tokenizer.maskTokenId) ?? '[MASK]';
      const text = h('textarea', { id: 'fm-text', rows: 2 }, `the man went to the ${mask} and bought a ${mask} of milk .`);
      const k = h('input', { id: 'fm-k', type: 'number', min: 1, max: 50, value: 5 });
      const out = h('div', { id: 'fm-out' });
      const go = h('button', { id: 'fm-run', class: 'primary' }, 'Predict');
      go.addEventListener('click', () =>
        void busy(go, out, async () => {
          const t0 = performance.now();
          const fills = await fillMask(maskedLmOf(m), m.tokenizer, text.value, { topK: Number(k.value) || 5 });
          const ms = performance.now() - t0;
          mount(out,
            h('p', { class: 'meta', id: 'fm-latency', 'data-ms': ms.toFixed(2) }, `${fills.length} mask${fills.length === 1 ? '' : 's'} · ${ms.toFixed(1)} ms on ${ctx.backend?.backend ?? '?'}`),
            h('div', { class: 'masks' }, ...fills.map((f, i) =>
              h('div', { class: 'mask-card', 'data-position': f.position },
                h('h3', {}, `${mask} #${i + 1}`, h('span', { class: 'meta' }, ` token ${f.position}`)),
                ...f.candidates.map((c) =>
                  h('div', { class: 'cand', 'data-token': c.token, 'data-token-str': c.token_str, 'data-score': String(c.score), title: c.sequence },
                    h('span', { class: 'cand-token' }, c.token_str),
                    h('span', { class: 'bar' }, h('span', { class: 'fill', style: `width:${(c.score * 100).toFixed(1)}%` })),
                    h('span', { class: 'cand-score' }, `${(c.score * 100).toFixed(1)}%`))))),
            ));
        }));
      return card('Fill the [MASK]s', h('div', { class: 'inputs' }, text), h('div', { class: 'row' }, h('label', {}, 'top-k ', k), go), out);
    }),
};
