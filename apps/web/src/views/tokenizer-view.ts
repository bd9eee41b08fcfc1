// Tokenizer: every WordPiece token drawn over its [start, end) character span of the input (HF offsets), with
// its id; for a pair, segment A and B in different colour ranges and the token type ids shown.
import type { Encoding } from '@bertkit/tokenizer';
import { h, mount, errorBox } from '../ui';
import { card, tokenColour, withModel } from './common';
import type { View } from './index';

function spans(text: string, enc: Encoding, seq: number): HTMLElement {
  const out = h('div', { class: 'spans' });
  let pos = 0;
  enc.tokens.forEach((tok, i) => {
    if (enc.sequenceIds[i] !== seq) return;
    const [s, e] = enc.offsets[i];
    if (s < pos) return; // several pieces of one character (rare): drawn once
    if (s > pos) out.append(text.slice(pos, s));
    out.append(h('mark', { class: 'tok', style: `background:${tokenColour(i, seq)}`, 'data-i': i, title: `${tok} · id ${enc.ids[i]} · [${s}, ${e})` }, text.slice(s, e)));
    pos = e;
  });
  if (pos < text.length) out.append(text.slice(pos));
  return out;
}

export const tokenizerView: View = {
  id: 'tokenizer',
  title: 'Tokenizer',
  render: (ctx) =>
    withModel(ctx, (m) => {
      const a = h('textarea', { id: 'tok-a', rows: 2 }, 'The quick brown fox jumped over the lazy dog, unbelievably.');
      const b = h('textarea', { id: 'tok-b', rows: 2, placeholder: 'optional second segment (B)' }, 'It was a dark and stormy night.');
      const out = h('div', { id: 'tok-out' });
      const run = () => {
        try {
          const enc = m.tokenizer.encode(a.value, b.value.trim() ? b.value : null);
          const chips = h('div', { class: 'chips' }, ...enc.tokens.map((t, i) =>
            h('span', { class: `chip seg${enc.typeIds[i]}`, style: `border-color:${tokenColour(i, enc.typeIds[i])}`, 'data-i': i },
              h('span', { class: 'piece' }, t), h('span', { class: 'id' }, String(enc.ids[i])))));
          const link = (e: Event) => {
            const i = (e.target as HTMLElement).closest<HTMLElement>('[data-i]')?.dataset.i;
            for (const el of out.querySelectorAll<HTMLElement>('[data-i]')) el.classList.toggle('hot', el.dataset.i === i);
          };
          out.onmouseover = link;
          mount(out,
            h('div', { class: 'seg-label' }, 'A'), spans(a.value, enc, 0),
            b.value.trim() ? h('div', { class: 'seg-label b' }, 'B') : null, b.value.trim() ? spans(b.value, enc, 1) : null,
            h('p', { class: 'meta' }, `${enc.ids.length} tokens · ${enc.tokens.filter((t) => t.startsWith('##')).length} continuation pieces · ${enc.tokens.filter((t) => t === m.tokenizer.idToToken(m.tokenizer.unkTokenId)).length} unknown`),
            chips);
        } catch (e) {
          mount(out, errorBox(e));
        }
      };
      a.addEventListener('input', run);
      b.addEventListener('input', run);
      queueMicrotask(run);
      return card('WordPiece tokens over their character spans', h('div', { class: 'inputs' }, a, b), out);
    }),
};
