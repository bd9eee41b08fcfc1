// Tasks: when config.json names a fine-tuned head (BertForSequenceClassification / TokenClassification /
// QuestionAnswering / MultipleChoice) and its weights are present, run it with @bertkit/heads' predict API, inputs
// truncated to the model's positions (QA: run_squad.py's windows, shrunk to them).
import { answerQuestion, chooseEnding, classify, tagWords } from '@bertkit/heads';
import { h, mount, busy } from '../ui';
import { card, withModel } from './common';
import type { View } from './index';

/** run_squad.py's window (384 tokens) and stride (128: a third of it), for models with fewer positions shrunk. */
const SQUAD_MAX_SEQ_LENGTH = 384;

function qaWindows(positions: number): { maxSeqLength: number; docStride: number } {
  const maxSeqLength = Math.min(SQUAD_MAX_SEQ_LENGTH, positions);
  return { maxSeqLength, docStride: Math.floor(maxSeqLength / 3) };
}

export const tasksView: View = {
  id: 'tasks',
  title: 'Tasks',
  render: (ctx) =>
    withModel(ctx, (m) => {
      const task = m.task;
      const maxLength = m.config.maxPositionEmbeddings;
      if (!task) {
        const arch = m.config.architectures?.join(', ') ?? 'none';
        return card('Task heads', h('div', { class: 'hint', id: 'task-none' }, `This checkpoint has no task head (architectures: ${arch}). Load a model fine-tuned with \`bert finetune\` (or an HF BertForSequenceClassification / TokenClassification / QuestionAnswering folder).`));
      }
      const out = h('div', { id: 'task-out' });
      const go = h('button', { id: 'task-run', class: 'primary' }, 'Run');
      if (task.kind === 'question-answering') {
        const q = h('input', { id: 'qa-q', class: 'wide', value: 'who wrote the report ?', 'aria-label': 'question' });
        const c = h('textarea', { id: 'qa-c', rows: 4 }, 'the report was written by the grand jury of fulton county .');
        go.addEventListener('click', () => void busy(go, out, async () => {
          const a = await answerQuestion(task, m.tokenizer, q.value, c.value, qaWindows(maxLength));
          const at = a.answer ? c.value.indexOf(a.answer) : -1;
          mount(out, at < 0 ? h('p', {}, a.answer ? `answer: ${a.answer}` : 'no answer') : h('p', { class: 'spans' }, c.value.slice(0, at), h('mark', { class: 'answer' }, a.answer), c.value.slice(at + a.answer.length)), h('p', { class: 'meta', id: 'qa-result', 'data-answer': a.answer, 'data-score': String(a.score) }, `score ${a.score.toFixed(3)}`));
        }));
        return card('Question answering', h('div', { class: 'inputs' }, h('label', { class: 'field' }, 'question', q), h('label', { class: 'field' }, 'context', c)), h('div', { class: 'row' }, go), out);
      }
      if (task.kind === 'token-classification') {
        const t = h('textarea', { id: 'ner-text', rows: 2 }, 'John Smith flew to Paris with Acme Corp .');
        go.addEventListener('click', () => void busy(go, out, async () => {
          const words = t.value.split(/\s+/).filter((w) => w);
          const [tags] = await tagWords(task, m.tokenizer, [words], maxLength);
          mount(out, h('p', { class: 'spans' }, ...tags.flatMap((w) => [w.label === 'O' ? w.word : h('mark', { class: 'ent', title: w.label }, w.word, h('sub', {}, w.label)), ' '])));
        }));
        return card('Token classification (per-word labels)', t, h('div', { class: 'row' }, go), out);
      }
      if (task.kind === 'multiple-choice') {
        const ctxText = h('input', { id: 'mc-context', class: 'wide', value: 'the cat sat on the', 'aria-label': 'context' });
        const choices = h('textarea', { id: 'mc-choices', rows: 3 }, 'mat .\nmoon .\nrunning .');
        go.addEventListener('click', () => void busy(go, out, async () => {
          const list = choices.value.split('\n').map((x) => x.trim()).filter((x) => x);
          const r = await chooseEnding(task, m.tokenizer, ctxText.value, list, maxLength);
          mount(out, ...list.map((c, i) =>
            h('div', { class: 'cand', 'data-choice': String(i), 'data-score': String(r.scores[i]) }, h('span', { class: 'cand-token' }, (i === r.choice ? '✓ ' : '') + c), h('span', { class: 'bar' }, h('span', { class: 'fill', style: `width:${(r.scores[i] * 100).toFixed(1)}%` })), h('span', { class: 'cand-score' }, `${(r.scores[i] * 100).toFixed(1)}%`))));
        }));
        return card('Multiple choice (one choice per line)', h('div', { class: 'inputs' }, h('label', { class: 'field' }, 'context', ctxText), h('label', { class: 'field' }, 'choices', choices)), h('div', { class: 'row' }, go), out);
      }
      const t = h('textarea', { id: 'cls-text', rows: 2 }, 'a gripping , beautifully made film .');
      go.addEventListener('click', () => void busy(go, out, async () => {
        const [p] = await classify(task, m.tokenizer, [t.value], maxLength);
        mount(out, ...Object.entries(p.scores).sort((a, b) => b[1] - a[1]).map(([label, s]) =>
          h('div', { class: 'cand', 'data-label': label, 'data-score': String(s) }, h('span', { class: 'cand-token' }, label), h('span', { class: 'bar' }, h('span', { class: 'fill', style: `width:${(s * 100).toFixed(1)}%` })), h('span', { class: 'cand-score' }, `${(s * 100).toFixed(1)}%`))));
      }));
      return card('Sequence classification', t, h('div', { class: 'row' }, go), out);
    }),
};
