// `bert quickstart` as a list of stages sharing one context: the paper's story in a few minutes. Build a WordPiece
// vocabulary from the Brown corpus, pre-train a small BERT from scratch for a few minutes (it reaches the unigram
// plateau and no further, shown honestly), fill in masked words with the untrained, the few-minute and the shipped
// model (models/english, trained for hours with the same recipe), then score held-out cloze items and fine-tune
// POS tagging (and SST-2 when GLUE is at hand) from the shipped weights vs random initialisation.
import { join } from 'node:path';
import { Rng, type BackendName } from '@bertkit/backend';
import { BertForPreTraining, initPositionEmbeddings, unigramEntropy, type PretrainRecipe } from '@bertkit/pretraining';
import type { BertTokenizer } from '@bertkit/tokenizer';
import type { StepEvent } from '@bertkit/training';
import type { Io } from './command.js';
import { buildVocab } from './commands/vocab.js';
import { fillMask, maskedLmOf, type MaskFill } from '@bertkit/heads';
import { loadBert } from '@bertkit/heads/node';
import { formatCandidates } from './fill-mask-format.js';
import { sparkline } from './loss-chart.js';
import { fmtTime } from './progress.js';
import { corpusDocuments, runPretraining, type ModelShape, type PretrainRunResult } from '@bertkit/pretraining/node';
import { pretrainView } from './pretrain-view.js';
import { clozeStage, posCompareStage, sst2CompareStage } from './quickstart-shipped.js';

export interface QuickstartOptions {
  out: string;
  corpus: string;
  vocabSize: number;
  model: ModelShape;
  steps: number;
  batchSize: number;
  maxSeqLength: number;
  /** The pre-training recipe (objective, optimizer, dropout, clipping, position init); `lr` and `warmup` are its. */
  recipe: PretrainRecipe;
  lr: number;
  warmup: number;
  seed: number;
  /** The shipped model directory (models/english), or null when it is not found. */
  shipped: string | null;
  /** Held-out cloze items to score (from the shipped directory's heldout-cloze.jsonl). */
  clozeItems: number;
  /**
   * Fine-tuning budget, the same for the shipped and the random model: the first `fineTuneSentences` training
   * sentences, `fineTuneEpochs` passes over them in steps of 32, peak rate `fineTuneLr`.
   */
  fineTuneSentences: number;
  fineTuneEpochs: number;
  fineTuneLr: number;
  /** The fine-tuning steps' engine: ort (ONNX Runtime's CPU kernels) or tfjs (the backend). */
  fineTuneEngine: 'tfjs' | 'ort';
  /** A GLUE directory with SST-2/ (train.tsv, dev.tsv), or null. */
  glueDir: string | null;
  backend?: BackendName;
  /** Sentences for the fill-mask stage (each with at least one [MASK]). */
  sentences: string[];
}

export interface QuickstartContext {
  io: Io;
  options: QuickstartOptions;
  tokenizer?: BertTokenizer;
  vocabFile?: string;
  pretrained?: PretrainRunResult;
  fillMask?: { trained: MaskFill[][]; untrained: MaskFill[][]; shipped: MaskFill[][] | null };
  /** Lines of the final summary, added by the stages. */
  summary: string[];
  /** Disposed when the quickstart ends. */
  disposables: { dispose(): void }[];
}

export interface Stage {
  title: string;
  run(ctx: QuickstartContext): Promise<void>;
}

const vocabStage: Stage = {
  title: 'WordPiece vocabulary from the corpus',
  async run(ctx) {
    const { options: o, io } = ctx;
    const dir = join(o.out, 'tokenizer');
    ctx.tokenizer = await buildVocab({ corpus: o.corpus, vocabSize: o.vocabSize, minFrequency: 2, lowercase: true, out: dir }, io);
    ctx.vocabFile = join(dir, 'vocab.txt');
    ctx.summary.push(`vocabulary: ${ctx.tokenizer.vocabSize} WordPiece tokens (${dir})`);
  },
};

const pretrainStage: Stage = {
  title: 'pre-training a small BERT from scratch for a few minutes (masked LM)',
  async run(ctx) {
    const { options: o, io } = ctx;
    const every = Math.max(1, Math.round(o.steps / 20));
    const mlm: number[] = [];
    const window: StepEvent[] = [];
    const out = join(o.out, 'model');
    const view = pretrainView(out, io, { progress: false });
    const r = await runPretraining(
      {
        out,
        tokenizer: ctx.tokenizer!,
        vocabFile: ctx.vocabFile!,
        corpus: o.corpus,
        model: o.model,
        objective: o.recipe.objective,
        optimizer: { beta1: o.recipe.beta1, beta2: o.recipe.beta2, eps: o.recipe.eps, weightDecay: o.recipe.weightDecay },
        clipNorm: o.recipe.clipNorm,
        positionInit: o.recipe.positionInit,
        steps: o.steps,
        batchSize: o.batchSize,
        maxSeqLength: o.maxSeqLength,
        lr: o.lr,
        warmup: o.warmup,
        seed: o.seed,
        dataOptions: { dupeFactor: 1, maskedLmProb: o.recipe.maskedLmProb },
        keepModel: true,
        onEvent: (e) => {
          view.onEvent(e);
          if (e.type !== 'step') return;
          window.push(e);
          if (e.mlmLoss !== undefined) mlm.push(e.mlmLoss);
          if (e.step % every !== 0 && e.step !== o.steps) return;
          // the mean over the steps since the last line: single batches are noisy
          const mean = (f: (x: StepEvent) => number | undefined) => window.reduce((s, x) => s + (f(x) ?? 0), 0) / window.length;
          io.stdout.write(
            `  step ${String(e.step).padStart(String(o.steps).length)}/${o.steps}  MLM loss ${mean((x) => x.mlmLoss).toFixed(3)}  ` +
              `MLM acc ${mean((x) => x.mlmAccuracy).toFixed(3)}  ` +
              (e.nspLoss !== undefined ? `NSP loss ${mean((x) => x.nspLoss).toFixed(3)}  ` : '') +
              `${Math.round(e.tokensPerSec ?? 0)} tok/s  ${fmtTime(e.elapsedSec)}<${fmtTime(e.etaSec)}  ${sparkline(mlm, 30)}\n`,
          );
          window.length = 0;
        },
      },
    );
    const { chartPath } = view.finish(r);
    ctx.pretrained = r;
    ctx.disposables.push(r.model!);
    const head = mlm.slice(0, Math.min(10, mlm.length));
    const tail = mlm.slice(-Math.min(10, mlm.length));
    const avg = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
    // the plateau, said plainly: the cross-entropy of predicting every masked token by its corpus frequency
    const unigram = await unigramEntropy(corpusDocuments(o.corpus).documents, ctx.tokenizer!);
    const plateau = avg(tail) < unigram - 0.3 ? 'below it: the model has started to use the context' : 'at it: the model has learned word frequencies and not yet how to use the context — the plateau small BERTs sit on for the first hours on a CPU';
    io.stdout.write(`  last ${tail.length} steps' MLM loss ${avg(tail).toFixed(3)} vs ${unigram.toFixed(3)} for predicting each token by its frequency (unigram entropy): ${plateau}\n`);
    ctx.summary.push(
      `pre-training: ${r.step} steps in ${fmtTime(r.elapsedSec)} on ${r.backend}; MLM loss ${mlm[0].toFixed(3)} at step 1, ` +
        `mean of the first ${head.length} steps ${avg(head).toFixed(3)} → last ${tail.length} steps ${avg(tail).toFixed(3)} (unigram entropy ${unigram.toFixed(3)})`,
      `loss chart: ${chartPath}`,
      `model (HF BertForPreTraining directory): ${join(o.out, 'model')}`,
    );
  },
};

const fillMaskStage: Stage = {
  title: 'filling in masked words: untrained, a few minutes, the shipped model (hours, same recipe)',
  async run(ctx) {
    const { options: o, io } = ctx;
    const trainedModel = ctx.pretrained!.model!;
    // the same architecture and seed as the run started from: what the model "knew" at step 0
    const untrainedModel = BertForPreTraining.create(trainedModel.config, { rng: new Rng(o.seed), objective: o.recipe.objective });
    initPositionEmbeddings(untrainedModel, o.recipe.positionInit);
    ctx.disposables.push(untrainedModel);
    const fills = async (m: Parameters<typeof fillMask>[0], tokenizer: BertTokenizer) => {
      const out: MaskFill[][] = [];
      for (const s of o.sentences) out.push(await fillMask(m, tokenizer, s, { topK: 5 }));
      return out;
    };
    const trained = await fills(trainedModel, ctx.tokenizer!);
    const untrained = await fills(untrainedModel, ctx.tokenizer!);
    let shipped: MaskFill[][] | null = null;
    if (o.shipped) {
      const loaded = await loadBert(o.shipped);
      try {
        shipped = await fills(maskedLmOf(loaded), loaded.tokenizer);
      } finally {
        loaded.dispose();
      }
    }
    const fmt = (r: MaskFill[]) => r.map((m) => formatCandidates(m, ', ')).join(' | ');
    trained.forEach((r, i) => {
      io.stdout.write(`  ${o.sentences[i]}\n    untrained:   ${fmt(untrained[i])}\n    few minutes: ${fmt(r)}\n`);
      if (shipped) io.stdout.write(`    shipped:     ${fmt(shipped[i])}\n`);
    });
    if (!o.shipped) io.stdout.write('  (no shipped model found: models/english is part of the repository)\n');
    ctx.fillMask = { trained, untrained, shipped };
  },
};

/** The stages `bert quickstart` runs, in order. */
export const quickstartStages: Stage[] = [vocabStage, pretrainStage, fillMaskStage, clozeStage, posCompareStage, sst2CompareStage];

export async function runQuickstart(options: QuickstartOptions, io: Io, stages: readonly Stage[] = quickstartStages): Promise<QuickstartContext> {
  const t0 = performance.now();
  const ctx: QuickstartContext = { io, options, summary: [], disposables: [] };
  try {
    for (const [i, stage] of stages.entries()) {
      io.stdout.write(`\n[${i + 1}/${stages.length}] ${stage.title}\n`);
      await stage.run(ctx);
    }
    ctx.summary.push(`quickstart: done in ${fmtTime((performance.now() - t0) / 1000)}`);
    io.stdout.write(`\n${ctx.summary.join('\n')}\n`);
    return ctx;
  } finally {
    for (const d of ctx.disposables) d.dispose();
  }
}
