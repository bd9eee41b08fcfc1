// The quickstart stages that put the shipped English model (models/english) next to the few-minute model: held-out
// cloze accuracy, and fine-tuning POS tagging (and SST-2 when ../shared has GLUE) from the shipped weights and from
// random initialisation with the same budget, next to the task's baseline. This is the paper's claim, measured.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig, parseJsonFile } from '@bertkit/encoder';
import { fillMask, maskedLmOf, type MaskedLm } from '@bertkit/heads';
import { loadBert } from '@bertkit/heads/node';
import { clozeAccuracy, evaluateMlmOnText, type ClozeItem, type MlmEvaluation } from '@bertkit/pretraining';
import type { BertForPreTraining } from '@bertkit/pretraining';
import { loadPretrainingModel, type ModelShape } from '@bertkit/pretraining/node';
import type { BertTokenizer } from '@bertkit/tokenizer';
import { runFineTuneCli, type FineTuneCliOptions, type FineTuneCliResult } from './commands/finetune.js';
import { lastProgressLines, startFineTuneWorker } from './finetune-parallel.js';
import type { Stage, QuickstartContext } from './quickstart.js';

/** The held-out cloze items shipped beside the model (JSON lines {text, answer, left, right}). */
export const SHIPPED_CLOZE_FILE = 'heldout-cloze.jsonl';

function readCloze(dir: string, limit: number): ClozeItem[] {
  const path = join(dir, SHIPPED_CLOZE_FILE);
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(0, limit)
    .map((l) => JSON.parse(l) as ClozeItem);
}

async function clozeTop(model: MaskedLm | BertForPreTraining, tokenizer: BertTokenizer, items: readonly ClozeItem[]) {
  const predictions: string[][] = [];
  for (const it of items) predictions.push((await fillMask(model, tokenizer, it.text, { topK: 5 }))[0]?.candidates.map((c) => c.token_str) ?? []);
  return clozeAccuracy(items, predictions);
}

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

/** Masked-LM loss and accuracy on the held-out sentences (the items with their word put back), 15 % masked. */
function heldOutMlm(model: BertForPreTraining, tokenizer: BertTokenizer, items: readonly ClozeItem[], seed: number): Promise<MlmEvaluation> {
  return evaluateMlmOnText(model, [items.map((it) => it.text.replace('[MASK]', it.answer))], tokenizer, { seed });
}

export const clozeStage: Stage = {
  title: 'held-out cloze: one word of an unseen sentence masked (Frankenstein, not in any training text)',
  async run(ctx) {
    const { io, options: o } = ctx;
    const items = o.shipped ? readCloze(o.shipped, o.clozeItems) : [];
    if (items.length === 0) {
      io.stdout.write(`  skipped: no ${SHIPPED_CLOZE_FILE} in the shipped model directory (${o.shipped ?? 'none found'})\n`);
      return;
    }
    const shipped = await loadBert(o.shipped!);
    const shippedLm = await loadPretrainingModel(o.shipped!, { objective: 'mlm' });
    try {
      const mostFrequent = items.filter((it) => it.answer === 'the').length / items.length;
      const few = await clozeTop(ctx.pretrained!.model!, ctx.tokenizer!, items);
      const full = await clozeTop(maskedLmOf(shipped), shipped.tokenizer, items);
      const fewMlm = await heldOutMlm(ctx.pretrained!.model!, ctx.tokenizer!, items, o.seed);
      const fullMlm = await heldOutMlm(shippedLm, shipped.tokenizer, items, o.seed);
      const lines = [
        `always "the":              cloze top-1 ${pct(mostFrequent)}`,
        `few-minute model (above):  cloze top-1 ${pct(few.top1)}, top-5 ${pct(few.topK)}; MLM accuracy ${pct(fewMlm.accuracy)} (loss ${fewMlm.loss.toFixed(3)})`,
        `shipped models/english:    cloze top-1 ${pct(full.top1)}, top-5 ${pct(full.topK)}; MLM accuracy ${pct(fullMlm.accuracy)} (loss ${fullMlm.loss.toFixed(3)})`,
      ];
      io.stdout.write(`  ${items.length} sentences; MLM accuracy: 15 % of their tokens masked (80/10/10), as in pre-training\n`);
      for (const l of lines) io.stdout.write(`  ${l}\n`);
      ctx.summary.push(
        `held-out (${items.length} sentences): cloze top-1 always "the" ${pct(mostFrequent)}, few-minute model ${pct(few.top1)}, shipped model ${pct(full.top1)}; ` +
          `MLM accuracy few-minute ${pct(fewMlm.accuracy)}, shipped ${pct(fullMlm.accuracy)}`,
      );
    } finally {
      shipped.dispose();
      shippedLm.dispose();
    }
  },
};

/** The shipped model's shape and dropout, so a random initialisation of the same model can be fine-tuned next to it. */
function shippedShape(dir: string): ModelShape {
  const path = join(dir, 'config.json');
  const c = parseConfig(parseJsonFile(readFileSync(path, 'utf8'), path), path);
  return {
    preset: 'tiny',
    layers: c.numHiddenLayers,
    hidden: c.hiddenSize,
    heads: c.numAttentionHeads,
    intermediate: c.intermediateSize,
    dropout: c.hiddenDropoutProb,
    attentionDropout: c.attentionProbsDropoutProb,
  };
}

/**
 * Fine-tunes `task` from the shipped weights and from a random init of the same shape and vocabulary — at once on a
 * multi-core CPU (the random init in a worker thread, its output printed after the shipped run's), else in turn.
 */
async function compareInit(ctx: QuickstartContext, name: string, base: Omit<FineTuneCliOptions, 'out' | 'model' | 'shape' | 'vocab' | 'engine' | 'threads'>) {
  const o = ctx.options;
  // two ORT runs at once get one thread each (the worker's and this one's); alone, ORT takes every core
  const engine = (threads: number | undefined): Pick<FineTuneCliOptions, 'engine' | 'threads'> =>
    o.fineTuneEngine === 'ort' ? { engine: 'ort', ...(threads !== undefined ? { threads } : {}) } : {};
  const randomBase: FineTuneCliOptions = { ...base, out: join(o.out, `${name}-random`), model: null, shape: shippedShape(o.shipped!), vocab: o.shipped! };
  const worker = startFineTuneWorker({ ...randomBase, ...engine(1) });
  let shipped: FineTuneCliResult;
  try {
    shipped = await runFineTuneCli({ ...base, ...engine(worker ? 1 : undefined), out: join(o.out, `${name}-shipped`), model: o.shipped!, shape: { preset: 'tiny' }, vocab: null }, ctx.io);
  } catch (e) {
    await worker?.cancel();
    throw e;
  }
  if (!worker) return { shipped, random: await runFineTuneCli({ ...randomBase, ...engine(undefined) }, ctx.io) };
  const { result, log } = await worker.done;
  ctx.io.stderr.write(lastProgressLines(log)); // printed after the fact: the bar's last state is enough
  return { shipped, random: result };
}

const BATCH = 32;

/** "6 epochs over 1920 sentences (360 steps of 32)". */
function budget(o: QuickstartContext['options']): string {
  const steps = o.fineTuneEpochs * Math.ceil(o.fineTuneSentences / BATCH);
  return `${o.fineTuneEpochs} epoch${o.fineTuneEpochs === 1 ? '' : 's'} over ${o.fineTuneSentences} sentences (${steps} steps of ${BATCH})`;
}

export const posCompareStage: Stage = {
  title: 'fine-tuning POS tagging (Brown, universal tags): shipped model vs random initialisation, same budget',
  async run(ctx) {
    const { io, options: o } = ctx;
    if (!o.shipped) {
      io.stdout.write('  skipped: no shipped model (models/english) found\n');
      return;
    }
    const { shipped, random } = await compareInit(ctx, 'pos', {
      task: 'brown-pos', lrs: [o.fineTuneLr], batchSize: BATCH, epochs: o.fineTuneEpochs, maxSteps: null, maxTrain: o.fineTuneSentences, maxDev: 1000, maxSeqLength: 64,
      seed: o.seed, resume: false, checkpointEvery: 0, tagset: 'universal', backend: o.backend,
    });
    const acc = (r: typeof shipped) => r.best.scores.accuracy;
    const line =
      `POS tagging (${budget(o)}, first 1000 dev sentences): shipped model ${pct(acc(shipped))}, ` +
      `random init ${pct(acc(random))}, most-frequent-tag baseline ${pct(shipped.baseline!.accuracy)}`;
    io.stdout.write(`  ${line}\n`);
    ctx.summary.push(line);
  },
};

export const sst2CompareStage: Stage = {
  title: 'fine-tuning SST-2 (GLUE sentiment): shipped model vs random initialisation, same budget',
  async run(ctx) {
    const { io, options: o } = ctx;
    const dir = o.glueDir ? join(o.glueDir, 'SST-2') : null;
    if (!o.shipped || !dir || !existsSync(join(dir, 'train.tsv'))) {
      io.stdout.write(`  skipped: ${!o.shipped ? 'no shipped model' : `no GLUE SST-2 at ${dir ?? '(--glue not given)'}`} (GLUE is licence-restricted and not bundled)\n`);
      return;
    }
    const { shipped, random } = await compareInit(ctx, 'sst2', {
      task: 'glue:sst2', train: join(dir, 'train.tsv'), dev: join(dir, 'dev.tsv'), lrs: [o.fineTuneLr], batchSize: BATCH, epochs: o.fineTuneEpochs, maxSteps: null,
      maxTrain: o.fineTuneSentences, maxSeqLength: 64, seed: o.seed, resume: false, checkpointEvery: 0, backend: o.backend,
    });
    const acc = (r: typeof shipped) => r.best.scores.accuracy;
    const line =
      `SST-2 (${budget(o)}, dev accuracy): shipped model ${pct(acc(shipped))}, ` +
      `random init ${pct(acc(random))}, majority class ${pct(shipped.baseline!.accuracy)}`;
    io.stdout.write(`  ${line}\n`);
    ctx.summary.push(line);
  },
};
