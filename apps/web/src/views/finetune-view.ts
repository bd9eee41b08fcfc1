// Fine-tune in the browser (paper section 4): the loaded encoder plus a fresh classification layer on the pooled
// [CLS] output (@bertkit/heads' loader with `kind` and `labels`), trained on a small labelled list by heads'
// `fineTune` (training's loop, AdamW, warm-up of DEFAULT_WARMUP_PROPORTION), whose events draw the chart; accuracy
// on the list before and after with heads' `classify`; the result loads into the Tasks view or downloads as HF
// files (BertForSequenceClassification).
import { Rng } from '@bertkit/backend';
import { classify, collateSequences, encodeSequence, fineTune, loadBertFromFiles, type BertTaskModel, type LoadedBert } from '@bertkit/heads';
import type { BertTokenizer } from '@bertkit/tokenizer';
import { lossChartSvg } from '../loss-chart';
import { exportTaskModel } from '../model-export';
import { downloadModel, modelFilesOf } from '../model-files';
import { buildModel } from '../model-loader';
import { h, mount, errorBox } from '../ui';
import { card, withModel } from './common';
import type { View } from './index';

/** Tokens per example (the list's lines are short), capped by the model's positions. */
const MAX_EXAMPLE_TOKENS = 64;
const BATCH_SIZE = 8;
const SEED = 12345;

const SAMPLE = `positive | a wonderful and moving story
positive | the best game of the year
positive | she was happy with the new house
positive | a good plan for the people of the city
positive | they had a great time at the party
negative | a dull and empty story
negative | the worst game of the year
negative | he was not happy with the old house
negative | a bad plan for the people of the city
negative | they had a terrible time at the party`;

/** `label | text` per line. */
function parse(text: string): { label: string; text: string }[] {
  return text.split('\n').map((l) => l.trim()).filter((l) => l).map((l, i) => {
    const bar = l.indexOf('|');
    if (bar <= 0) throw new Error(`line ${i + 1}: expected "label | text", got ${JSON.stringify(l)}`);
    return { label: l.slice(0, bar).trim(), text: l.slice(bar + 1).trim() };
  });
}

async function accuracy(task: BertTaskModel, tokenizer: BertTokenizer, rows: { label: string; text: string }[], maxLength: number): Promise<number> {
  const preds = await classify(task, tokenizer, rows.map((r) => r.text), maxLength);
  return rows.filter((r, i) => preds[i].label === r.label).length / rows.length;
}

export const finetuneView: View = {
  id: 'finetune',
  title: 'Fine-tune',
  render: (ctx) =>
    withModel(ctx, (m) => {
      const list = h('textarea', { id: 'ft-text', rows: 8 }, SAMPLE);
      const steps = h('input', { id: 'ft-steps', type: 'number', value: 60, min: 1 });
      const lr = h('input', { id: 'ft-lr', type: 'number', value: 0.002, step: 0.0001 });
      const chart = h('div', { class: 'chart-box', id: 'ft-chart' });
      const stats = h('p', { class: 'meta', id: 'ft-stats' }, 'One example per line: label | text. A new classification layer is trained with the whole encoder.');
      const out = h('div', { id: 'ft-out' });
      const go = h('button', { id: 'ft-run', class: 'primary' }, 'Fine-tune');
      go.addEventListener('click', async () => {
        go.disabled = true;
        mount(out);
        let loaded: LoadedBert | null = null;
        try {
          const rows = parse(list.value);
          const labels = [...new Set(rows.map((r) => r.label))].sort();
          if (labels.length < 2) throw new Error(`labels: expected at least 2 different labels, got ${labels.length} (${labels.join(', ')})`);
          // the checkpoint's encoder; the new head (and a pooler the checkpoint lacks) drawn from the seeded rng
          loaded = loadBertFromFiles(m.files, { kind: 'sequence-classification', labels, rng: new Rng(SEED) });
          const task = loaded.task!;
          const maxLength = Math.min(MAX_EXAMPLE_TOKENS, task.config.maxPositionEmbeddings);
          const feats = rows.map((r) => encodeSequence(m.tokenizer, r.text, undefined, labels.indexOf(r.label), maxLength));
          const before = await accuracy(task, m.tokenizer, rows, maxLength);
          const total = Number(steps.value) || 60;
          const losses: number[] = [];
          await fineTune({
            model: task, features: feats, collate: (fs) => collateSequences(fs, m.tokenizer.padTokenId),
            config: { lr: Number(lr.value) || 2e-3, batchSize: BATCH_SIZE, maxSteps: total, seed: SEED },
            onEvent: (e) => {
              if (e.type !== 'step') return;
              losses.push(e.loss);
              chart.innerHTML = lossChartSvg([{ name: 'loss', colour: '#4f46e5', values: losses }], total);
              chart.dataset.losses = JSON.stringify(losses);
              stats.textContent = `step ${e.step}/${total} · loss ${e.loss.toFixed(3)} · lr ${e.lr.toExponential(2)} · ${Math.round(e.tokensPerSec ?? NaN)} tokens/s on ${ctx.backend?.backend ?? '?'}`;
            },
          });
          const after = await accuracy(task, m.tokenizer, rows, maxLength);
          const bytes = await exportTaskModel(task, m.files, 'fine-tuned in the browser');
          mount(out,
            h('p', { id: 'ft-acc', 'data-before': before, 'data-after': after }, `Accuracy on the list: ${(before * 100).toFixed(0)}% before → ${(after * 100).toFixed(0)}% after.`),
            h('div', { class: 'row' },
              h('button', { id: 'ft-download', onclick: () => downloadModel(bytes) }, 'Download HF files'),
              h('button', { id: 'ft-use', class: 'primary', onclick: () => ctx.setModel(buildModel(modelFilesOf(bytes), 'fine-tuned in the browser')) }, 'Use it in the Tasks view')));
        } catch (e) {
          mount(out, errorBox(e));
        } finally {
          loaded?.dispose();
          go.disabled = false;
        }
      });
      return card('Fine-tune a classifier on a labelled list', list, h('div', { class: 'row' }, h('label', {}, 'steps ', steps), h('label', {}, 'peak lr ', lr), go), stats, chart, out);
    }),
};
