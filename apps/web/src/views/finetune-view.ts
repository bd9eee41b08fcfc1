// Fine-tune in the browser (paper section 4): the loaded encoder plus a fresh classification layer on the pooled
// [CLS] output, trained on a small labelled list with the awaited step loop; accuracy on the list before and
// after; the result loads into the Tasks view or downloads as HF files (BertForSequenceClassification).
import { Rng } from '@bertkit/backend';
import { BertModel, loadState, parseConfig, readSafetensors, stateDict, toConfigJson, writeSafetensors } from '@bertkit/encoder';
import { BertTaskModel, batchInputs, batchTokens, collateSequences, encodeSequence, taskLoss, withLabels, type SequenceFeature } from '@bertkit/heads';
import { AdamW, linearWarmupDecay } from '@bertkit/training';
import * as tf from '@tensorflow/tfjs-core';
import { lossChartSvg } from '../loss-chart';
import { vocabText } from '../model-export';
import { download, type ModelFiles } from '../model-files';
import { buildModel } from '../model-loader';
import { trainAwaited } from '../train-awaited';
import { h, mount, errorBox, nextFrame } from '../ui';
import { card, withModel } from './common';
import type { View } from './index';

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

async function accuracy(task: BertTaskModel, feats: SequenceFeature[], padId: number): Promise<number> {
  const b = collateSequences(feats, padId);
  const logits = tf.tidy(() => task.forward(batchInputs(b))); // [N, K]
  const pred = tf.argMax(logits, 1);
  const p = await pred.data();
  tf.dispose([logits, pred]);
  return feats.filter((f, i) => p[i] === f.label).length / feats.length;
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
        let task: BertTaskModel | null = null;
        const optimizer = new AdamW();
        try {
          const rows = parse(list.value);
          const labels = [...new Set(rows.map((r) => r.label))].sort();
          if (labels.length < 2) throw new Error(`labels: expected at least 2 different labels, got ${labels.length} (${labels.join(', ')})`);
          const config = withLabels(parseConfig(JSON.parse(m.files.configJson)), labels);
          const rng = new Rng(12345);
          const encoder = new BertModel(config, { addPooler: true, rng }); // a pooler the checkpoint lacks stays freshly drawn
          loadState(encoder, readSafetensors(m.files.safetensors).tensors);
          task = new BertTaskModel(config, 'sequence-classification', { encoder, rng });
          const t = task;
          const feats = rows.map((r) => encodeSequence(m.tokenizer, r.text, undefined, labels.indexOf(r.label), 64));
          const before = await accuracy(t, feats, m.tokenizer.padTokenId);
          const total = Number(steps.value) || 60;
          async function* data() {
            for (;;) {
              const order = rng.shuffle(feats.map((_, i) => i));
              for (let i = 0; i < order.length; i += 8) {
                await nextFrame();
                yield collateSequences(order.slice(i, i + 8).map((j) => feats[j]), m.tokenizer.padTokenId);
              }
            }
          }
          const losses: number[] = [];
          await trainAwaited({
            params: t.parameters(), optimizer, steps: total, data: data(), tokensIn: batchTokens,
            lossFn: (b) => ({ loss: taskLoss(t, t.forward(batchInputs(b), { training: true, dropoutRng: rng }), b) }),
            schedule: linearWarmupDecay({ peakLr: Number(lr.value) || 2e-3, warmupSteps: Math.max(1, Math.round(total / 10)), totalSteps: total }),
            onStep: (e) => {
              losses.push(e.loss);
              chart.innerHTML = lossChartSvg([{ name: 'loss', colour: '#4f46e5', values: losses }], total);
              chart.dataset.losses = JSON.stringify(losses);
              stats.textContent = `step ${e.step}/${total} · loss ${e.loss.toFixed(3)} · ${Math.round(e.tokensPerSec)} tokens/s on ${ctx.backend?.backend ?? '?'}`;
            },
          });
          const after = await accuracy(t, feats, m.tokenizer.padTokenId);
          const tensors = await stateDict(t.encoder, { prefix: 'bert.' });
          for (const [k, v] of t.parameters()) {
            if (k.startsWith('bert.')) continue;
            const hf = k.endsWith('.weight') ? tf.transpose(v) : v; // HF [out, in]
            tensors.set(k, { dtype: 'F32', shape: hf.shape.slice(), data: ((await hf.data()) as Float32Array).slice() });
            if (hf !== v) hf.dispose();
          }
          const json = toConfigJson(parseConfig(toConfigJson({ ...config, architectures: ['BertForSequenceClassification'] })));
          const files: ModelFiles = { name: 'fine-tuned in the browser', configJson: `${JSON.stringify(json, null, 2)}\n`, vocabTxt: vocabText(m.tokenizer), safetensors: writeSafetensors(tensors, { format: 'pt' }) };
          mount(out,
            h('p', { id: 'ft-acc', 'data-before': before, 'data-after': after }, `Accuracy on the list: ${(before * 100).toFixed(0)}% before → ${(after * 100).toFixed(0)}% after.`),
            h('div', { class: 'row' },
              h('button', { id: 'ft-download', onclick: () => { download('config.json', files.configJson, 'application/json'); download('vocab.txt', files.vocabTxt!, 'text/plain'); download('model.safetensors', files.safetensors); } }, 'Download HF files'),
              h('button', { id: 'ft-use', class: 'primary', onclick: () => ctx.setModel(buildModel(files, 'fine-tuned in the browser')) }, 'Use it in the Tasks view')));
        } catch (e) {
          mount(out, errorBox(e));
        } finally {
          task?.dispose();
          optimizer.dispose();
          go.disabled = false;
        }
      });
      return card('Fine-tune a classifier on a labelled list', list, h('div', { class: 'row' }, h('label', {}, 'steps ', steps), h('label', {}, 'peak lr ', lr), go), stats, chart, out);
    }),
};
