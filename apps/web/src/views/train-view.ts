// Train in the browser: pre-train a tiny BERT with MLM + NSP (paper section 3.1) on pasted text or the bundled
// sample, on the current backend, with @bertkit/pretraining's data pipeline and model, @bertkit/training's AdamW
// and schedule, and an awaited copy of its step loop (train-awaited.ts). Steps are awaited and the page yields between them, so it stays
// responsive; pause/resume gates the data stream. The result downloads as HF files or loads into the other views.
import { Rng } from '@bertkit/backend';
import { bertConfig, countParameters } from '@bertkit/encoder';
import { BertForPreTraining, batchTokens, iterateBatches, predictionsPerInstance, pretrainingInstances, resolveDataOptions, splitDocuments, type PretrainingBatch, type TrainingInstance } from '@bertkit/pretraining';
import { AdamW, linearWarmupDecay } from '@bertkit/training';
import { lossChartSvg } from '../loss-chart';
import { exportPretraining } from '../model-export';
import { download, type ModelFiles } from '../model-files';
import { buildModel } from '../model-loader';
import { SAMPLE_CORPUS } from '../sample-corpus';
import { trainAwaited } from '../train-awaited';
import { h, mount, errorBox, nextFrame } from '../ui';
import { card, withModel } from './common';
import type { View } from './index';

function num(id: string, label: string, value: number, step = 1): HTMLLabelElement {
  return h('label', { class: 'field' }, label, h('input', { id, type: 'number', value, step, min: step }));
}

export const trainView: View = {
  id: 'train',
  title: 'Train',
  render: (ctx) =>
    withModel(ctx, (m) => {
      const corpus = h('textarea', { id: 'train-text', rows: 8 }, SAMPLE_CORPUS);
      const form = h('div', { class: 'fields' },
        num('train-layers', 'layers', 2), num('train-hidden', 'hidden', 64), num('train-heads', 'heads', 4),
        num('train-steps', 'steps', 60), num('train-batch', 'batch', 8), num('train-seq', 'seq length', 48),
        num('train-lr', 'peak lr', 0.002, 0.0001), num('train-seed', 'seed', 12345));
      const val = (id: string) => Number((form.querySelector(`#${id}`) as HTMLInputElement).value);
      const chart = h('div', { id: 'train-chart', class: 'chart-box' });
      const stats = h('p', { id: 'train-stats', class: 'meta' }, `Vocabulary: the loaded model's (${m.tokenizer.vocabSize} tokens). Backend: ${ctx.backend?.backend ?? '?'}.`);
      const out = h('div', { id: 'train-out' });
      const start = h('button', { id: 'train-start', class: 'primary' }, 'Start training');
      const pause = h('button', { id: 'train-pause', disabled: true }, 'Pause');
      const stop = h('button', { id: 'train-stop', disabled: true }, 'Stop');
      let paused = false;
      let wake: (() => void) | null = null;
      let abort: AbortController | null = null;
      pause.addEventListener('click', () => {
        paused = !paused;
        pause.textContent = paused ? 'Resume' : 'Pause';
        if (!paused) wake?.();
      });
      stop.addEventListener('click', () => {
        abort?.abort();
        paused = false;
        wake?.();
      });

      start.addEventListener('click', async () => {
        start.disabled = true;
        pause.disabled = stop.disabled = false;
        mount(out);
        let model: BertForPreTraining | null = null;
        const optimizer = new AdamW();
        abort = new AbortController();
        try {
          const seq = val('train-seq');
          const steps = val('train-steps');
          const batchSize = val('train-batch');
          const hidden = val('train-hidden');
          const opts = resolveDataOptions({ maxSeqLength: seq, dupeFactor: 5, maxPredictionsPerSeq: Math.max(1, Math.round(seq * 0.15)) });
          const instances: TrainingInstance[] = [];
          for await (const x of pretrainingInstances(splitDocuments(corpus.value), m.tokenizer, { ...opts, objective: 'mlm+nsp' }, new Rng(val('train-seed')))) instances.push(x);
          if (instances.length === 0) throw new Error('the text gave no training instances: give at least two documents (blank line between them) of a few sentences each');
          const config = bertConfig({ vocabSize: m.tokenizer.vocabSize, numHiddenLayers: val('train-layers'), hiddenSize: hidden, numAttentionHeads: val('train-heads'), intermediateSize: 4 * hidden, maxPositionEmbeddings: Math.max(64, seq) });
          model = BertForPreTraining.create(config, { rng: new Rng(val('train-seed')), objective: 'mlm+nsp' });
          const P = predictionsPerInstance(opts, 'mlm+nsp');
          async function* data(): AsyncGenerator<PretrainingBatch> {
            for (const { batch } of iterateBatches(instances, batchSize, seq, P, { epoch: 0, record: 0 }, m.tokenizer.padTokenId)) {
              await nextFrame(); // let the page paint and take clicks between steps
              while (paused) await new Promise<void>((r) => (wake = r));
              yield batch;
            }
          }
          const loss: number[] = [];
          const mlm: number[] = [];
          const nsp: number[] = [];
          const info = `${instances.length} instances · ${config.numHiddenLayers}×${hidden}, ${(countParameters(config) / 1e6).toFixed(2)}M parameters · backend ${ctx.backend?.backend ?? '?'}`;
          const dropoutRng = new Rng(val('train-seed') + 1);
          const pretrained = model;
          await trainAwaited({
            params: model.parameters(), lossFn: (b) => pretrained.loss(b, { training: true, rng: dropoutRng }), tokensIn: batchTokens,
            optimizer, steps, data: data(), signal: abort.signal,
            schedule: linearWarmupDecay({ peakLr: val('train-lr'), warmupSteps: Math.max(1, Math.round(steps / 10)), totalSteps: steps }),
            onStep: (e) => {
              loss.push(e.loss);
              mlm.push(e.metrics.mlmLoss ?? NaN);
              nsp.push(e.metrics.nspLoss ?? NaN);
              chart.innerHTML = lossChartSvg([{ name: 'loss', colour: '#4f46e5', values: loss }, { name: 'MLM', colour: '#0d9488', values: mlm }, { name: 'NSP', colour: '#f59e0b', values: nsp }], steps);
              chart.dataset.losses = JSON.stringify(loss);
              stats.textContent = `step ${e.step}/${steps} · loss ${e.loss.toFixed(3)} (MLM ${e.metrics.mlmLoss?.toFixed(3)}, NSP ${e.metrics.nspLoss?.toFixed(3)}) · ${Math.round(e.tokensPerSec)} tokens/s · ${info}`;
              stats.dataset.tokensPerSec = String(e.tokensPerSec);
            },
          });
          stats.dataset.done = 'true';
          const files: ModelFiles = await exportPretraining(model, m.tokenizer, 'trained in the browser');
          mount(out,
            h('button', { id: 'train-download', onclick: () => { download('config.json', files.configJson, 'application/json'); download('vocab.txt', files.vocabTxt!, 'text/plain'); download('model.safetensors', files.safetensors); } }, 'Download config.json + vocab.txt + model.safetensors'),
            h('button', { id: 'train-use', class: 'primary', onclick: () => ctx.setModel(buildModel(files, 'trained in the browser')) }, 'Use this model in the other views'));
        } catch (e) {
          mount(out, errorBox(e));
        } finally {
          model?.dispose();
          optimizer.dispose();
          start.disabled = false;
          pause.disabled = stop.disabled = true;
          pause.textContent = 'Pause';
          paused = false;
        }
      });
      return card('Pre-train a tiny BERT here (MLM + NSP)', h('p', { class: 'meta' }, 'Paste text: one sentence per line, a blank line between documents.'), corpus, form, h('div', { class: 'row' }, start, pause, stop), stats, chart, out);
    }),
};
