// Train in the browser: pre-train a tiny BERT with MLM + NSP (paper section 3.1) on pasted text or the bundled
// sample, on the current backend, with @bertkit/pretraining's data pipeline and model and @bertkit/training's
// `train` loop (the one the CLI runs), its AdamW and warm-up (DEFAULT_WARMUP_PROPORTION of the steps). Its events
// draw the chart and the tokens/s; the data stream yields to the page between steps (so it stays responsive) and
// gates pause/resume; stop is the loop's abort signal. The result downloads as HF files or loads into the other views.
import { Rng } from '@bertkit/backend';
import { bertConfig, countParameters } from '@bertkit/encoder';
import { BertForPreTraining, batchTokens, iterateBatches, predictionsPerInstance, pretrainingInstances, resolveDataOptions, splitDocuments, type PretrainingBatch, type TrainingInstance } from '@bertkit/pretraining';
import { AdamW, DEFAULT_WARMUP_PROPORTION, linearWarmupDecay, train, warmupSteps } from '@bertkit/training';
import { lossChartSvg } from '../loss-chart';
import { exportPretraining } from '../model-export';
import { downloadModel, modelFilesOf } from '../model-files';
import { buildModel } from '../model-loader';
import { SAMPLE_CORPUS } from '../sample-corpus';
import { h, mount, errorBox, nextFrame } from '../ui';
import { card, withModel } from './common';
import type { View } from './index';

/** Positions of the trained model: at least this many, so that fill-mask and attention take texts longer than the training sequences. */
const MIN_POSITIONS = 64;

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
          const config = bertConfig({ vocabSize: m.tokenizer.vocabSize, numHiddenLayers: val('train-layers'), hiddenSize: hidden, numAttentionHeads: val('train-heads'), intermediateSize: 4 * hidden, maxPositionEmbeddings: Math.max(MIN_POSITIONS, seq) });
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
          const task = model.asTask();
          await train<PretrainingBatch>({
            ...task, optimizer, steps, data: data(), signal: abort.signal, rng: new Rng(val('train-seed') + 1), tokensInBatch: batchTokens,
            schedule: linearWarmupDecay({ peakLr: val('train-lr'), warmupSteps: warmupSteps(steps, DEFAULT_WARMUP_PROPORTION), totalSteps: steps }),
            onEvent: (e) => {
              if (e.type !== 'step') return;
              loss.push(e.loss);
              mlm.push(e.mlmLoss ?? NaN);
              nsp.push(e.nspLoss ?? NaN);
              chart.innerHTML = lossChartSvg([{ name: 'loss', colour: '#4f46e5', values: loss }, { name: 'MLM', colour: '#0d9488', values: mlm }, { name: 'NSP', colour: '#f59e0b', values: nsp }], steps);
              chart.dataset.losses = JSON.stringify(loss);
              const tps = e.tokensPerSec ?? NaN; // given: the loop counts tokens with batchTokens
              stats.textContent = `step ${e.step}/${steps} · loss ${e.loss.toFixed(3)} (MLM ${e.mlmLoss?.toFixed(3)}, NSP ${e.nspLoss?.toFixed(3)}) · lr ${e.lr.toExponential(2)} · ${Math.round(tps)} tokens/s · ${info}`;
              stats.dataset.tokensPerSec = String(tps);
            },
          });
          stats.dataset.done = 'true';
          // the tokenizer files of the model whose vocabulary was used, so that the new model tokenizes the same way
          const bytes = await exportPretraining(model, m.files, 'trained in the browser');
          mount(out,
            h('button', { id: 'train-download', onclick: () => downloadModel(bytes) }, 'Download the HF files (config.json, model.safetensors, tokenizer files)'),
            h('button', { id: 'train-use', class: 'primary', onclick: () => ctx.setModel(buildModel(modelFilesOf(bytes), 'trained in the browser')) }, 'Use this model in the other views'));
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
